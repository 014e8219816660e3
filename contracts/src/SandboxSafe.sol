// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/**
 * A one-owner wallet with the Gnosis Safe's execTransaction interface, for the sandbox's relayer. The
 * sandbox places its runtime code at the address Polymarket's relayer client derives (CREATE2 from the
 * Safe factory with the real Safe proxy's init-code hash, which this contract cannot reproduce) and writes
 * the owner into slot 0. It checks what the real Safe checks for a one-owner, threshold-1 Safe: the
 * EIP-712 SafeTx hash over (chainId, this address), signed by the owner either as typed data (v 27/28) or
 * through eth_sign (v 31/32, what the relayer client sends), and a nonce used once. Gas refunds,
 * contract signatures, modules and guards are not modelled.
 */
contract SandboxSafe {
    address private owner; // slot 0: written by the sandbox when it places the code
    uint256 public nonce; // slot 1

    bytes32 private constant DOMAIN_SEPARATOR_TYPEHASH = keccak256("EIP712Domain(uint256 chainId,address verifyingContract)");
    bytes32 private constant SAFE_TX_TYPEHASH =
        keccak256(
            "SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)"
        );

    event ExecutionSuccess(bytes32 txHash, uint256 payment);
    event ExecutionFailure(bytes32 txHash, uint256 payment);

    function getOwners() external view returns (address[] memory owners) {
        owners = new address[](1);
        owners[0] = owner;
    }

    function getThreshold() external pure returns (uint256) {
        return 1;
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_SEPARATOR_TYPEHASH, block.chainid, address(this)));
    }

    function getTransactionHash(
        address to,
        uint256 value,
        bytes calldata data,
        uint8 operation,
        uint256 safeTxGas,
        uint256 baseGas,
        uint256 gasPrice,
        address gasToken,
        address refundReceiver,
        uint256 _nonce
    ) public view returns (bytes32) {
        bytes32 safeTxHash = keccak256(
            abi.encode(SAFE_TX_TYPEHASH, to, value, keccak256(data), operation, safeTxGas, baseGas, gasPrice, gasToken, refundReceiver, _nonce)
        );
        return keccak256(abi.encodePacked(bytes1(0x19), bytes1(0x01), domainSeparator(), safeTxHash));
    }

    function execTransaction(
        address to,
        uint256 value,
        bytes calldata data,
        uint8 operation,
        uint256 safeTxGas,
        uint256 baseGas,
        uint256 gasPrice,
        address gasToken,
        address payable refundReceiver,
        bytes calldata signatures
    ) external payable returns (bool success) {
        bytes32 txHash = getTransactionHash(to, value, data, operation, safeTxGas, baseGas, gasPrice, gasToken, refundReceiver, nonce);
        nonce++;
        checkSignature(txHash, signatures);
        if (operation == 1) (success, ) = to.delegatecall(data);
        else (success, ) = to.call{value: value}(data);
        // As the real Safe: with no safeTxGas and no gasPrice a failing call reverts the whole transaction.
        require(success || safeTxGas != 0 || gasPrice != 0, "GS013");
        if (success) emit ExecutionSuccess(txHash, 0);
        else emit ExecutionFailure(txHash, 0);
    }

    function checkSignature(bytes32 txHash, bytes calldata signatures) private view {
        require(signatures.length >= 65, "GS020");
        bytes32 r = bytes32(signatures[0:32]);
        bytes32 s = bytes32(signatures[32:64]);
        uint8 v = uint8(signatures[64]);
        address signer;
        if (v > 30) signer = ecrecover(keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", txHash)), v - 4, r, s);
        else if (v == 27 || v == 28) signer = ecrecover(txHash, v, r, s);
        require(signer != address(0) && signer == owner, "GS026");
    }

    /** The real Safe answers these through its fallback handler: outcome tokens can be sent to it. */
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external pure returns (bytes4) {
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(address, address, uint256[] calldata, uint256[] calldata, bytes calldata) external pure returns (bytes4) {
        return this.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 id) external pure returns (bool) {
        return id == 0x4e2312e0 || id == 0x01ffc9a7;
    }

    receive() external payable {}
}
