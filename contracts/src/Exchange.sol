// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC1155Holder, IERC20Min} from "./IERC1155Receiver.sol";
import {ConditionalTokens} from "./ConditionalTokens.sol";
import {NegRiskAdapter} from "./NegRiskAdapter.sol";

/// The local chain's stand-in for Polymarket's CTF exchanges. The sandbox's matching engine (off chain, like
/// the real operator) settles each match here: collateral moves buyer → seller, outcome tokens seller → buyer,
/// the taker's fee goes to the operator, and every order involved emits OrderFilled with the layout of the
/// Polygon exchanges (asset id 0 = collateral; the order's owner is `maker` whether it rested or took; the
/// taking order's one event per match names the exchange as `taker` and totals the match). Real wallets need the same approvals as on Polygon:
/// collateral `approve(exchange)` and CTF `setApprovalForAll(exchange)`. Wallets the sandbox runs itself
/// (synthetic makers and traders, which have no keys) are settled by minting: collateral for a synthetic
/// buyer, a full split set for a synthetic seller (the complement stays here), so the CTF stays fully backed.
contract Exchange is ERC1155Holder {
    struct Fill {
        bytes32 makerOrderHash;
        bytes32 takerOrderHash;
        address maker;
        address taker;
        bytes32 conditionId;
        uint256 tokenId;
        bool takerBuys;
        uint256 shares;
        uint256 usdc;
        uint256 fee;
        bool makerSynthetic;
        bool takerSynthetic;
    }

    event OrderFilled(
        bytes32 indexed orderHash,
        address indexed maker,
        address indexed taker,
        uint256 makerAssetId,
        uint256 takerAssetId,
        uint256 makerAmountFilled,
        uint256 takerAmountFilled,
        uint256 fee
    );

    IERC20Min public immutable collateral;
    ConditionalTokens public immutable ctf;
    /// Zero for the regular exchange; the neg-risk exchange mints sets through the adapter.
    NegRiskAdapter public immutable adapter;
    address public immutable operator;

    constructor(IERC20Min _collateral, ConditionalTokens _ctf, NegRiskAdapter _adapter) {
        collateral = _collateral;
        ctf = _ctf;
        adapter = _adapter;
        operator = msg.sender;
        _collateral.approve(address(_ctf), type(uint256).max);
        if (address(_adapter) != address(0)) _collateral.approve(address(_adapter), type(uint256).max);
    }

    /// One match: a taking order against one or more makers. As on Polygon, each maker order gets its own
    /// OrderFilled, and the taking order gets one OrderFilled with the totals of the whole match (so a taker
    /// that crossed several price levels shows one event at its average price, not one per level).
    function settle(Fill[] calldata fills) external {
        require(msg.sender == operator, "only operator");
        uint256 start = 0;
        for (uint256 i = 0; i < fills.length; i++) {
            _settle(fills[i]);
            bool last = i + 1 == fills.length || fills[i + 1].takerOrderHash != fills[i].takerOrderHash;
            if (last) {
                _emitTaker(fills[start:i + 1]);
                start = i + 1;
            }
        }
    }

    function _emitTaker(Fill[] calldata group) private {
        uint256 shares = 0;
        uint256 usdc = 0;
        uint256 fee = 0;
        for (uint256 i = 0; i < group.length; i++) {
            shares += group[i].shares;
            usdc += group[i].usdc;
            fee += group[i].fee;
        }
        Fill calldata f = group[0];
        emit OrderFilled(
            f.takerOrderHash,
            f.taker,
            address(this),
            f.takerBuys ? 0 : f.tokenId,
            f.takerBuys ? f.tokenId : 0,
            f.takerBuys ? usdc : shares,
            f.takerBuys ? shares : usdc,
            fee
        );
    }

    function _settle(Fill calldata f) private {
        (address buyer, bool buyerSynthetic) = f.takerBuys ? (f.taker, f.takerSynthetic) : (f.maker, f.makerSynthetic);
        (address seller, bool sellerSynthetic) = f.takerBuys ? (f.maker, f.makerSynthetic) : (f.taker, f.takerSynthetic);
        if (buyerSynthetic) {
            if (!sellerSynthetic) collateral.mint(seller, f.usdc);
        } else {
            require(collateral.transferFrom(buyer, seller, f.usdc), "collateral transfer failed");
        }
        if (sellerSynthetic) {
            collateral.mint(address(this), f.shares);
            if (address(adapter) == address(0)) {
                uint256[] memory partition = new uint256[](2);
                partition[0] = 1;
                partition[1] = 2;
                ctf.splitPosition(collateral, bytes32(0), f.conditionId, partition, f.shares);
            } else {
                adapter.splitPosition(f.conditionId, f.shares);
            }
            ctf.safeTransferFrom(address(this), buyer, f.tokenId, f.shares, "");
        } else {
            ctf.safeTransferFrom(seller, buyer, f.tokenId, f.shares, "");
        }
        if (f.fee > 0 && !f.takerSynthetic) require(collateral.transferFrom(f.taker, operator, f.fee), "fee transfer failed");

        bool makerBuys = !f.takerBuys;
        emit OrderFilled(
            f.makerOrderHash,
            f.maker,
            f.taker,
            makerBuys ? 0 : f.tokenId,
            makerBuys ? f.tokenId : 0,
            makerBuys ? f.usdc : f.shares,
            makerBuys ? f.shares : f.usdc,
            0
        );
    }
}
