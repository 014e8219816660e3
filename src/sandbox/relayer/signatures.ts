/**
 * What the sandbox relayer checks before it spends gas, recomputed from the request the client sends
 * (@polymarket/builder-relayer-client 0.0.10, dist/builder/safe.js and create.js): the Safe transaction's
 * EIP-712 hash, signed with eth_sign and packed r‖s‖v with v + 4; and the Safe-create typed data.
 */
import { utils } from 'ethers';
import { SAFE_FACTORY, SAFE_FACTORY_NAME } from './safe-wallets.ts';

export interface SafeRequest {
  from: string;
  to: string;
  proxyWallet: string;
  data: string;
  nonce: string;
  signature: string;
  signatureParams: {
    gasPrice: string;
    operation: string;
    safeTxnGas: string;
    baseGas: string;
    gasToken: string;
    refundReceiver: string;
  };
}

export function safeTxHash(chainId: number, r: SafeRequest): string {
  const p = r.signatureParams;
  return utils._TypedDataEncoder.hash(
    { chainId, verifyingContract: r.proxyWallet },
    {
      SafeTx: [
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'data', type: 'bytes' },
        { name: 'operation', type: 'uint8' },
        { name: 'safeTxGas', type: 'uint256' },
        { name: 'baseGas', type: 'uint256' },
        { name: 'gasPrice', type: 'uint256' },
        { name: 'gasToken', type: 'address' },
        { name: 'refundReceiver', type: 'address' },
        { name: 'nonce', type: 'uint256' },
      ],
    },
    {
      to: r.to,
      value: 0,
      data: r.data,
      operation: Number(p.operation),
      safeTxGas: p.safeTxnGas,
      baseGas: p.baseGas,
      gasPrice: p.gasPrice,
      gasToken: p.gasToken,
      refundReceiver: p.refundReceiver,
      nonce: r.nonce,
    },
  );
}

/** Who signed a packed Safe signature (r, s, v; v 31/32 = eth_sign of the hash, 27/28 = the hash itself). */
export function safeSigner(hash: string, packed: string): string | undefined {
  const bytes = utils.arrayify(packed);
  if (bytes.length !== 65) return undefined;
  const v = bytes[64]!;
  const r = utils.hexlify(bytes.slice(0, 32));
  const s = utils.hexlify(bytes.slice(32, 64));
  try {
    if (v === 31 || v === 32) return utils.recoverAddress(utils.hashMessage(utils.arrayify(hash)), { r, s, v: v - 4 });
    if (v === 27 || v === 28) return utils.recoverAddress(hash, { r, s, v });
  } catch {
    return undefined;
  }
  return undefined;
}

/** Who signed a SAFE-CREATE request (typed data CreateProxy on the factory's domain). */
export function createSigner(
  chainId: number,
  sig: string,
  p: { paymentToken: string; payment: string; paymentReceiver: string },
): string | undefined {
  try {
    return utils.verifyTypedData(
      { name: SAFE_FACTORY_NAME, chainId, verifyingContract: SAFE_FACTORY },
      {
        CreateProxy: [
          { name: 'paymentToken', type: 'address' },
          { name: 'payment', type: 'uint256' },
          { name: 'paymentReceiver', type: 'address' },
        ],
      },
      p,
      sig,
    );
  } catch {
    return undefined;
  }
}

/** A PROXY request as the client posts it (dist/builder/proxy.js). */
export interface ProxyRequest {
  from: string;
  to: string;
  proxyWallet: string;
  data: string;
  nonce: string;
  signature: string;
  signatureParams: { gasPrice: string; gasLimit: string; relayerFee: string; relayHub: string; relay: string };
}

/**
 * Who signed a PROXY request: the client signs (eth_sign) keccak256("rlx:" ‖ from ‖ to ‖ data ‖ fee ‖
 * gasPrice ‖ gasLimit ‖ nonce ‖ relayHub ‖ relay), the GSN v1 relay hash; no chain id is in it.
 */
export function proxySigner(r: ProxyRequest): string | undefined {
  const p = r.signatureParams;
  try {
    const hash = utils.solidityKeccak256(
      ['string', 'address', 'address', 'bytes', 'uint256', 'uint256', 'uint256', 'uint256', 'address', 'address'],
      ['rlx:', r.from, r.to, r.data, p.relayerFee, p.gasPrice, p.gasLimit, r.nonce, p.relayHub, p.relay],
    );
    return utils.verifyMessage(utils.arrayify(hash), r.signature);
  } catch {
    return undefined;
  }
}
