/**
 * Condition, collection and position ids computed as the Conditional Tokens contract computes them, so
 * polytail can name a market's ERC-1155 ids (and redeem amounts) without asking the chain. Collection ids
 * map keccak(conditionId, indexSet) onto the alt_bn128 curve; only the root collection (parent 0) is needed.
 */
import { utils } from 'ethers';

const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

export function conditionIdOf(oracle: string, questionId: string, outcomeSlotCount = 2): string {
  return utils.solidityKeccak256(['address', 'bytes32', 'uint256'], [oracle, questionId, outcomeSlotCount]);
}

/** Collection id of one outcome set under the root collection (parentCollectionId = 0). */
export function collectionIdOf(conditionId: string, indexSet: number): string {
  let x = BigInt(utils.solidityKeccak256(['bytes32', 'uint256'], [conditionId, indexSet]));
  const odd = x >> 255n !== 0n;
  let y: bigint;
  let yy: bigint;
  do {
    x = (x + 1n) % P;
    yy = (((x * x) % P) * x + 3n) % P;
    y = modPow(yy, (P + 1n) / 4n, P);
  } while ((y * y) % P !== yy);
  if ((odd && y % 2n === 0n) || (!odd && y % 2n === 1n)) y = P - y;
  if (y % 2n === 1n) x ^= 1n << 254n;
  return utils.hexZeroPad('0x' + x.toString(16), 32);
}

export function positionIdOf(collateral: string, collectionId: string): string {
  return BigInt(utils.solidityKeccak256(['address', 'bytes32'], [collateral, collectionId])).toString(10);
}

/** Token ids of a binary market: [outcome 0 (index set 1), outcome 1 (index set 2)]. */
export function binaryTokenIds(collateral: string, conditionId: string): [string, string] {
  return [positionIdOf(collateral, collectionIdOf(conditionId, 1)), positionIdOf(collateral, collectionIdOf(conditionId, 2))];
}
