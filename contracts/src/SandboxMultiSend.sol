// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/**
 * The Safe's MultiSend for the sandbox: a Safe delegate-calls `multiSend` with transactions packed as
 * (uint8 operation, address to, uint256 value, uint256 dataLength, bytes data), and each runs as a call
 * from the Safe. Placed at Polymarket's SafeMultisend address by the sandbox's relayer. Only calls
 * (operation 0); the real one also allows nested delegate calls, which the relayer client never sends.
 */
contract SandboxMultiSend {
    function multiSend(bytes calldata transactions) external payable {
        uint256 i = 0;
        while (i < transactions.length) {
            uint8 operation = uint8(transactions[i]);
            address to = address(bytes20(transactions[i + 1:i + 21]));
            uint256 value = uint256(bytes32(transactions[i + 21:i + 53]));
            uint256 length = uint256(bytes32(transactions[i + 53:i + 85]));
            require(operation == 0, "MultiSend: only calls");
            (bool ok, ) = to.call{value: value}(transactions[i + 85:i + 85 + length]);
            require(ok, "MultiSend: call failed");
            i += 85 + length;
        }
    }
}
