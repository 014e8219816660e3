/**
 * Hardhat account #0: a publicly known throwaway key that only means something to the sandbox (which
 * funds it). A session falls back to it only when every host is on this machine. Its own file, so
 * reading it does not load the sandbox.
 */
export const SANDBOX_TEST_PRIVATE_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
