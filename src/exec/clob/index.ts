/** The live venue on @polymarket/clob-client-v2 and its crash-safety journal. */
export { ClobVenue } from './clob-venue.ts';
export type { ClobVenueOptions, RecoveredIntent, ResendRule } from './clob-venue.ts';
export { ClobApi, createClobClient, parseOpenOrder } from './clob-api.ts';
export type { BalanceInfo, ClientOptions, VenueOpenOrder } from './clob-api.ts';
export { classifyError, reasonFromText } from './clob-errors.ts';
export { FileIntentJournal, MemoryIntentJournal } from './intent-journal.ts';
export type { IntentJournal, IntentOutcome, IntentRecord, IntentStatus, JournalEntry } from './intent-journal.ts';
export { orderHashOf, signOrder, validSdkQuantity } from './order-signing.ts';
export { reconcileOrder } from './reconcile.ts';
