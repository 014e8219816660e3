/** The wallet's money on chain: collateral (pUSD) and the gas token (POL), for doctor and live equity. */
import { Contract, type providers } from 'ethers';
import { type ChainContracts, ERC20_ABI } from '../polymarket/contracts.ts';

export interface ChainBalances {
  collateralMicros: number;
  /** Gas token in wei (POL on Polygon). */
  gasWei: bigint;
}

export async function readBalances(
  provider: providers.Provider,
  c: ChainContracts,
  holder: string,
  gasPayer = holder,
): Promise<ChainBalances> {
  const col = new Contract(c.collateral, ERC20_ABI, provider);
  const [bal, gas] = await Promise.all([col.balanceOf(holder) as Promise<{ toString(): string }>, provider.getBalance(gasPayer)]);
  return { collateralMicros: Number(bal.toString()), gasWei: BigInt(gas.toString()) };
}
