/**
 * What a wallet must allow before it can trade: collateral (pUSD) `approve` and CTF `setApprovalForAll`
 * for the exchange, the neg-risk exchange and the neg-risk adapter. `planApprovals` reads the chain and
 * lists only what is missing, as transactions a person can read before saying yes.
 */
import { Contract, constants, type providers, utils } from 'ethers';
import { CTF_ABI, type ChainContracts, ERC20_ABI, approvalSpenders } from '../polymarket/contracts.ts';

export interface ApprovalStatus {
  spender: string;
  spenderName: string;
  /** Collateral allowance in micros (capped to Number.MAX_SAFE_INTEGER for display; "unlimited" above 1e30). */
  collateralAllowance: bigint;
  outcomeTokensApproved: boolean;
}

export interface PlannedTx {
  to: string;
  data: string;
  description: string;
}

const UNLIMITED_ABOVE = 10n ** 30n;

export async function readApprovals(provider: providers.Provider, c: ChainContracts, owner: string): Promise<ApprovalStatus[]> {
  const col = new Contract(c.collateral, ERC20_ABI, provider);
  const ctf = new Contract(c.ctf, CTF_ABI, provider);
  return Promise.all(
    approvalSpenders(c).map(async (s) => ({
      spender: s.address,
      spenderName: s.name,
      collateralAllowance: BigInt(((await col.allowance(owner, s.address)) as { toString(): string }).toString()),
      outcomeTokensApproved: (await ctf.isApprovedForAll(owner, s.address)) as boolean,
    })),
  );
}

export function describeAllowance(a: bigint): string {
  return a >= UNLIMITED_ABOVE ? 'unlimited' : `${Number(a) / 1e6} pUSD`;
}

/** The transactions that would make every approval complete (empty when nothing is missing). */
export function planApprovals(c: ChainContracts, status: ApprovalStatus[]): PlannedTx[] {
  const erc20 = new utils.Interface(ERC20_ABI);
  const ctf = new utils.Interface(CTF_ABI);
  const out: PlannedTx[] = [];
  for (const s of status) {
    if (s.collateralAllowance < UNLIMITED_ABOVE) {
      out.push({
        to: c.collateral,
        data: erc20.encodeFunctionData('approve', [s.spender, constants.MaxUint256]),
        description: `pUSD approve(${s.spenderName} ${s.spender}, unlimited)`,
      });
    }
    if (!s.outcomeTokensApproved) {
      out.push({
        to: c.ctf,
        data: ctf.encodeFunctionData('setApprovalForAll', [s.spender, true]),
        description: `outcome tokens (CTF) setApprovalForAll(${s.spenderName} ${s.spender}, true)`,
      });
    }
  }
  return out;
}
