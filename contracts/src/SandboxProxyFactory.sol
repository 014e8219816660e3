// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {SandboxProxyWallet} from "./SandboxProxyWallet.sol";

/**
 * The proxy wallet factory for the sandbox, modelled on Polymarket's ProxyWalletFactory (a GSN v1
 * recipient): `proxy(calls)` runs the calls from the caller's wallet, the wallet of an owner being
 * CREATE2(this, keccak256(abi.encodePacked(owner)), PROXY_INIT_CODE_HASH) as
 * the relayer client (builder-relayer-client) derives it. Called by the relay hub, the owner is the address the hub
 * appends to the call data (GSN v1's _msgSender); called directly, it is msg.sender. The real factory
 * clones the wallet on first use; the sandbox cannot reproduce that init code, so its relayer places the
 * wallet's code before relaying, and a call for a wallet not placed reverts. The hub is in slot 0.
 */
contract SandboxProxyFactory {
    /** The real proxy's init-code hash (client dist/constants PROXY_INIT_CODE_HASH). */
    bytes32 public constant PROXY_INIT_CODE_HASH = 0xd21df8dc65880a8606f09fe0ce3df9b8869287ab0b058be05aa9e8af6330a00b;

    address private relayHub; // slot 0: written by the sandbox when it places the code

    function walletOf(address owner) public view returns (address) {
        bytes32 salt = keccak256(abi.encodePacked(owner));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, PROXY_INIT_CODE_HASH)))));
    }

    function proxy(SandboxProxyWallet.ProxyCall[] calldata calls) external payable returns (bytes[] memory) {
        address wallet = walletOf(msgSender());
        require(wallet.code.length > 0, "ProxyFactory: wallet not placed");
        return SandboxProxyWallet(payable(wallet)).proxy{value: msg.value}(calls);
    }

    function msgSender() private view returns (address sender) {
        if (msg.sender != relayHub || msg.data.length < 20) return msg.sender;
        sender = address(bytes20(msg.data[msg.data.length - 20:]));
    }
}
