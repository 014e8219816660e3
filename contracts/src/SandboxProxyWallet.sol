// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/**
 * A proxy wallet (signature type 1) for the sandbox, modelled on Polymarket's ProxyWallet
 * (Polymarket/proxy-factories): `proxy(calls)` runs a batch of calls as the wallet, and only its factory
 * may ask, the factory having checked who the wallet belongs to. The sandbox places this runtime code at
 * the address the relayer client derives (CREATE2 with the real proxy's init-code hash, which this
 * contract cannot reproduce) and writes the factory into slot 0. Delegate calls (typeCode 2) and value
 * are not modelled: the relayer client only sends calls with value 0.
 */
contract SandboxProxyWallet {
    struct ProxyCall {
        uint8 typeCode;
        address to;
        uint256 value;
        bytes data;
    }

    address private factory; // slot 0: written by the sandbox when it places the code

    function proxy(ProxyCall[] calldata calls) external payable returns (bytes[] memory returnValues) {
        require(msg.sender == factory, "ProxyWallet: only the factory");
        returnValues = new bytes[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            require(calls[i].typeCode == 1, "ProxyWallet: only calls");
            (bool ok, bytes memory ret) = calls[i].to.call{value: calls[i].value}(calls[i].data);
            require(ok, "ProxyWallet: call failed");
            returnValues[i] = ret;
        }
    }

    /** Outcome tokens (ERC1155) can be sent to the wallet, as to the real one. */
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
