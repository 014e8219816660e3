/**
 * The EIP-712 struct of a CLOB V2 order, as clob-client-v2 signs it. One definition for the live venue
 * (which signs exact fine-tick amounts itself) and the sandbox (which verifies every order it receives).
 */
export const ORDER_EIP712_TYPES = {
  Order: [
    { name: 'salt', type: 'uint256' },
    { name: 'maker', type: 'address' },
    { name: 'signer', type: 'address' },
    { name: 'tokenId', type: 'uint256' },
    { name: 'makerAmount', type: 'uint256' },
    { name: 'takerAmount', type: 'uint256' },
    { name: 'side', type: 'uint8' },
    { name: 'signatureType', type: 'uint8' },
    { name: 'timestamp', type: 'uint256' },
    { name: 'metadata', type: 'bytes32' },
    { name: 'builder', type: 'bytes32' },
  ],
};

/** The fields of a posted order (wire form: side "BUY"/"SELL", amounts as strings) as the EIP-712 message. */
export function orderMessage(o: Record<string, unknown>): Record<string, unknown> {
  return {
    salt: String(o['salt']),
    maker: o['maker'],
    signer: o['signer'],
    tokenId: o['tokenId'],
    makerAmount: o['makerAmount'],
    takerAmount: o['takerAmount'],
    side: o['side'] === 'BUY' || o['side'] === 0 ? 0 : 1,
    signatureType: o['signatureType'],
    timestamp: o['timestamp'],
    metadata: o['metadata'],
    builder: o['builder'],
  };
}
