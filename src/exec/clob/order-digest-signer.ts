/**
 * EIP-712 signing of CLOB V2/V3 orders without the SDK's detour: the domain separator of each exchange
 * is hashed once, an order's struct hash is one keccak over its 12 words, and the digest is signed
 * straight with secp256k1 (RFC 6979, low s, as ethers does). Same bytes as clob-client-v2's signature
 * for the same fields (tested against the SDK's); about a tenth of its cost, which matters because
 * signing sits between a target's fill and our POST.
 */
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';

/** The V2/V3 order struct as signed (side 0 = BUY, 1 = SELL). */
export interface OrderStruct {
  salt: string;
  maker: string;
  signer: string;
  tokenId: string;
  makerAmount: string;
  takerAmount: string;
  side: 0 | 1;
  signatureType: number;
  timestamp: string;
  metadata: string;
  builder: string;
}

const text = new TextEncoder();
const ORDER_TYPE_HASH = keccak_256(
  text.encode(
    'Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)',
  ),
);
const DOMAIN_TYPE_HASH = keccak_256(text.encode('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'));
const NAME_HASH = keccak_256(text.encode('Polymarket CTF Exchange'));

export class OrderDigestSigner {
  private readonly domains = new Map<string, Uint8Array>();

  /** `privateKey`: 0x + 64 hex digits. Kept in this object only; never logged or returned. */
  constructor(
    private readonly privateKey: string,
    readonly chainId: number,
  ) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(privateKey)) throw new Error('the order signer needs a 32-byte hex private key');
  }

  /**
   * Builds the curve's precomputed tables and warms the code (the first signature otherwise takes
   * ~100 ms, the next few several ms), on a throwaway order under a throwaway domain.
   */
  prepare(): void {
    const zero = '0x' + '0'.repeat(64);
    const someone = '0x' + '0'.repeat(39) + '1';
    const order: OrderStruct = {
      salt: '1',
      maker: someone,
      signer: someone,
      tokenId: '1',
      makerAmount: '1',
      takerAmount: '1',
      side: 0,
      signatureType: 0,
      timestamp: '1',
      metadata: zero,
      builder: zero,
    };
    for (let i = 0; i < 5; i++) this.sign('0', someone, order);
    this.domains.delete(`0:${someone}`);
  }

  /** The exchange's EIP-712 domain separator (version "2" or "3"), hashed once per contract. */
  domainSeparator(version: string, verifyingContract: string): Uint8Array {
    const key = `${version}:${verifyingContract.toLowerCase()}`;
    let sep = this.domains.get(key);
    if (!sep) {
      const words = new Uint8Array(5 * 32);
      words.set(DOMAIN_TYPE_HASH, 0);
      words.set(NAME_HASH, 32);
      words.set(keccak_256(text.encode(version)), 64);
      putUint(words, 96, BigInt(this.chainId));
      putHex(words, 128, verifyingContract, 20);
      sep = keccak_256(words);
      this.domains.set(key, sep);
    }
    return sep;
  }

  /** The EIP-712 digest of `order` under that exchange's domain (= the CLOB's orderID). */
  digest(version: string, verifyingContract: string, order: OrderStruct): Uint8Array {
    const words = new Uint8Array(12 * 32);
    words.set(ORDER_TYPE_HASH, 0);
    putUint(words, 32, BigInt(order.salt));
    putHex(words, 64, order.maker, 20);
    putHex(words, 96, order.signer, 20);
    putUint(words, 128, BigInt(order.tokenId));
    putUint(words, 160, BigInt(order.makerAmount));
    putUint(words, 192, BigInt(order.takerAmount));
    putUint(words, 224, BigInt(order.side));
    putUint(words, 256, BigInt(order.signatureType));
    putUint(words, 288, BigInt(order.timestamp));
    putHex(words, 320, order.metadata, 32);
    putHex(words, 352, order.builder, 32);
    const message = new Uint8Array(66);
    message[0] = 0x19;
    message[1] = 0x01;
    message.set(this.domainSeparator(version, verifyingContract), 2);
    message.set(keccak_256(words), 34);
    return keccak_256(message);
  }

  /** The 65-byte signature (r ‖ s ‖ v, v = 27/28) as 0x-hex, and the order hash. */
  sign(version: string, verifyingContract: string, order: OrderStruct): { signature: string; orderHash: string } {
    const digest = this.digest(version, verifyingContract, order);
    const sig = secp256k1.sign(digest, this.privateKey.slice(2));
    return { signature: `0x${sig.toCompactHex()}${(27 + sig.recovery).toString(16)}`, orderHash: toHex(digest) };
  }
}

function putUint(out: Uint8Array, at: number, value: bigint): void {
  if (value < 0n || value >= 1n << 256n) throw new Error(`order field out of uint256 range: ${value}`);
  for (let i = 31; i >= 0; i--, value >>= 8n) out[at + i] = Number(value & 0xffn);
}

/** A 0x-hex value of `bytes` bytes, right-aligned in its 32-byte word (addresses), or filling it (bytes32). */
function putHex(out: Uint8Array, at: number, hex: string, bytes: number): void {
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (digits.length !== bytes * 2 || !/^[0-9a-fA-F]*$/.test(digits)) throw new Error(`order field is not ${bytes} hex bytes: ${hex}`);
  const start = at + 32 - bytes;
  for (let i = 0; i < bytes; i++) out[start + i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
}

function toHex(bytes: Uint8Array): string {
  let s = '0x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
