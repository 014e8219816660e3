// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/**
 * The GSN v1 relay hub's relayCall for the sandbox, as far as Polymarket's proxy wallets use it: the
 * relayer (msg.sender) relays `encodedFunction` to `to` for `from`, who signed with eth_sign
 * keccak256("rlx:" ‖ from ‖ to ‖ encodedFunction ‖ transactionFee ‖ gasPrice ‖ gasLimit ‖ nonce ‖ hub ‖
 * relay) (the hash the relayer client (builder-relayer-client) builds in dist/builder/proxy.js; no chain id in it),
 * with the hub's next nonce for `from`. The call carries `from` appended (GSN v1), which the factory reads
 * as the wallet owner. Unlike the real hub, a failing call reverts the whole relay (and keeps the nonce),
 * and relay staking, fees and gas accounting are not modelled. Nonces are slot 0's mapping.
 */
contract SandboxRelayHub {
    mapping(address => uint256) private nonces;

    event TransactionRelayed(address indexed relay, address indexed from, address indexed to, bytes4 selector);

    function getNonce(address from) external view returns (uint256) {
        return nonces[from];
    }

    function relayCall(
        address from,
        address to,
        bytes calldata encodedFunction,
        uint256 transactionFee,
        uint256 gasPrice,
        uint256 gasLimit,
        uint256 nonce,
        bytes calldata signature,
        bytes calldata
    ) external {
        bytes32 hash = keccak256(
            abi.encodePacked("rlx:", from, to, encodedFunction, transactionFee, gasPrice, gasLimit, nonce, address(this), msg.sender)
        );
        require(signerOf(hash, signature) == from, "RelayHub: invalid signature");
        require(nonce == nonces[from], "RelayHub: invalid nonce");
        nonces[from]++;
        forward(from, to, encodedFunction);
    }

    function forward(address from, address to, bytes calldata encodedFunction) private {
        (bool ok, bytes memory ret) = to.call(abi.encodePacked(encodedFunction, from));
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        emit TransactionRelayed(msg.sender, from, to, bytes4(encodedFunction[0:4]));
    }

    function signerOf(bytes32 hash, bytes calldata sig) private pure returns (address) {
        if (sig.length != 65) return address(0);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (v < 27) v += 27;
        return ecrecover(keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", hash)), v, r, s);
    }
}
