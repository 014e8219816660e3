import { RecordingStore } from '../src/store/index.ts';
const s = await RecordingStore.open(process.argv[2]!, { readOnly: true });
for (const q of process.argv.slice(3)) console.log(JSON.stringify(await s.query(q), (_, v) => (typeof v === 'bigint' ? Number(v) : v)));
await s.close();
