/**
 * Every contract polytail talks to on chain: addresses on Polygon and the ABI fragments it calls, in one
 * place (Polymarket has migrated contracts before and will again). The local chain's contracts implement the
 * same fragments, so one client works against both. ABIs are ethers human-readable fragments.
 */

export interface ChainContracts {
  /** pUSD (V2 collateral, 6 decimals). */
  collateral: string;
  /** ConditionalTokens (ERC-1155 outcome positions). */
  ctf: string;
  exchange: string;
  negRiskExchange: string;
  negRiskAdapter: string;
}

/** Polygon mainnet (chain 137), CLOB V2 era. Sources are listed in docs/live.md. */
export const POLYGON_CONTRACTS: ChainContracts = {
  collateral: '0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB',
  ctf: '0x4D97DCd97eC945f40cF65F87097ACe5EA0476045',
  exchange: '0xE111180000d2663C0091e4f400237545B87B996B',
  negRiskExchange: '0xe2222d279d744050d28e00520010520000310F59',
  negRiskAdapter: '0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296',
};

export const POLYGON_CHAIN_ID = 137;

export const ERC20_ABI = [
  'function balanceOf(address owner) view returns (uint256)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'function approve(address spender, uint256 amount) returns (bool)',
  'function decimals() view returns (uint8)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
];

export const CTF_ABI = [
  'function balanceOf(address owner, uint256 id) view returns (uint256)',
  'function balanceOfBatch(address[] owners, uint256[] ids) view returns (uint256[])',
  'function isApprovedForAll(address owner, address operator) view returns (bool)',
  'function setApprovalForAll(address operator, bool approved)',
  'function payoutNumerators(bytes32 conditionId, uint256 index) view returns (uint256)',
  'function payoutDenominator(bytes32 conditionId) view returns (uint256)',
  'function getOutcomeSlotCount(bytes32 conditionId) view returns (uint256)',
  'function getCollectionId(bytes32 parentCollectionId, bytes32 conditionId, uint256 indexSet) view returns (bytes32)',
  'function getPositionId(address collateralToken, bytes32 collectionId) pure returns (uint256)',
  'function redeemPositions(address collateralToken, bytes32 parentCollectionId, bytes32 conditionId, uint256[] indexSets)',
  'event ConditionResolution(bytes32 indexed conditionId, address indexed oracle, bytes32 indexed questionId, uint256 outcomeSlotCount, uint256[] payoutNumerators)',
  'event PayoutRedemption(address indexed redeemer, address indexed collateralToken, bytes32 indexed parentCollectionId, bytes32 conditionId, uint256[] indexSets, uint256 payout)',
];

export const NEG_RISK_ADAPTER_ABI = [
  'function redeemPositions(bytes32 conditionId, uint256[] amounts)',
  'function getPositionId(bytes32 conditionId, bool outcome) view returns (uint256)',
  'function wcol() view returns (address)',
  'event PayoutRedemption(address indexed redeemer, bytes32 indexed conditionId, uint256[] amounts, uint256 payout)',
];

/**
 * The exchanges' fill event as published for Polygon's CTF exchanges. The V2 exchanges' layout is not
 * confirmed in public material; `src/chain/order-filled.ts` is the only reader, so a change lands there.
 */
export const ORDER_FILLED_EVENT =
  'event OrderFilled(bytes32 indexed orderHash, address indexed maker, address indexed taker, uint256 makerAssetId, uint256 takerAssetId, uint256 makerAmountFilled, uint256 takerAmountFilled, uint256 fee)';

export const EXCHANGE_ABI = [ORDER_FILLED_EVENT];

/** What `approve` grants: collateral to every spender, outcome tokens (CTF operator) to the same. */
export function approvalSpenders(c: ChainContracts): { name: string; address: string }[] {
  return [
    { name: 'exchange', address: c.exchange },
    { name: 'neg-risk exchange', address: c.negRiskExchange },
    { name: 'neg-risk adapter', address: c.negRiskAdapter },
  ];
}
