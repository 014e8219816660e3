/**
 * The sandbox's proxy wallet factory and relay hub addresses. @polymarket/builder-relayer-client 0.0.10
 * knows proxy contracts only for chain 137 (on 80002 its table has `ProxyFactory: ""`), and a proxy relay
 * signature carries no chain id, so the sandbox never runs as 137: it stays on 80002 and the client is
 * given these instead, for a loopback relayer only. They are the last 20 bytes of
 * keccak256("polytail sandbox proxy factory" / "… relay hub"): nobody holds a key for them and nothing is
 * deployed there on Polygon, and a signature naming them (the hub and `to` are in the signed hash) cannot
 * be relayed by Polymarket's hub.
 */
export const SANDBOX_PROXY_CONTRACTS = {
  ProxyFactory: '0x52571131fF17F5bdEdcb4205889AC64386cD2782',
  RelayHub: '0xd9E8564Df067058276CDD271f02D2edBeFe5b025',
} as const;

/** The client's PROXY_INIT_CODE_HASH (dist/constants): the real proxy wallet's CREATE2 init-code hash. */
export const PROXY_INIT_CODE_HASH = '0xd21df8dc65880a8606f09fe0ce3df9b8869287ab0b058be05aa9e8af6330a00b';
