// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC1155Holder, IERC20Min} from "./IERC1155Receiver.sol";
import {ConditionalTokens} from "./ConditionalTokens.sol";

/// ERC-20 the adapter wraps collateral into: neg-risk positions on the CTF are backed by it, not by pUSD.
contract WrappedCollateral {
    string public constant name = "Wrapped Sandbox pUSD";
    string public constant symbol = "wpUSD";
    uint8 public constant decimals = 6;
    address public immutable owner;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor() {
        owner = msg.sender;
    }

    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "only owner");
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function burn(uint256 amount) external {
        require(balanceOf[msg.sender] >= amount, "burn exceeds balance");
        balanceOf[msg.sender] -= amount;
        emit Transfer(msg.sender, address(0), amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            require(allowed >= amount, "ERC20: insufficient allowance");
            allowance[from][msg.sender] = allowed - amount;
        }
        _move(from, to, amount);
        return true;
    }

    function _move(address from, address to, uint256 amount) private {
        require(balanceOf[from] >= amount, "ERC20: transfer amount exceeds balance");
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}

/// The neg-risk adapter's redeem path as Polymarket's NegRiskAdapter exposes it: positions are CTF positions
/// over wrapped collateral, conditions are prepared and resolved by the adapter (it is their oracle), and
/// `redeemPositions(conditionId, amounts)` pulls the caller's YES/NO amounts, redeems them on the CTF and
/// pays the caller in collateral. Conversions between outcomes of one neg-risk event are not modelled.
contract NegRiskAdapter is ERC1155Holder {
    ConditionalTokens public immutable ctf;
    IERC20Min public immutable col;
    WrappedCollateral public immutable wcol;
    address public immutable operator;

    event PayoutRedemption(address indexed redeemer, bytes32 indexed conditionId, uint256[] amounts, uint256 payout);
    event PositionSplit(address indexed stakeholder, bytes32 indexed conditionId, uint256 amount);

    constructor(ConditionalTokens _ctf, IERC20Min _col) {
        ctf = _ctf;
        col = _col;
        operator = msg.sender;
        wcol = new WrappedCollateral();
        wcol.approve(address(_ctf), type(uint256).max);
    }

    function prepareQuestion(bytes32 questionId) external returns (bytes32 conditionId) {
        require(msg.sender == operator, "only operator");
        ctf.prepareCondition(address(this), questionId, 2);
        conditionId = ctf.getConditionId(address(this), questionId, 2);
    }

    function reportPayouts(bytes32 questionId, uint256[] calldata payouts) external {
        require(msg.sender == operator, "only operator");
        ctf.reportPayouts(questionId, payouts);
    }

    function getPositionId(bytes32 conditionId, bool outcome) public view returns (uint256) {
        return ctf.getPositionId(address(wcol), ctf.getCollectionId(bytes32(0), conditionId, outcome ? 1 : 2));
    }

    function splitPosition(bytes32 conditionId, uint256 amount) external {
        require(col.transferFrom(msg.sender, address(this), amount), "could not receive collateral");
        wcol.mint(address(this), amount);
        ctf.splitPosition(IERC20Min(address(wcol)), bytes32(0), conditionId, _partition(), amount);
        ctf.safeBatchTransferFrom(address(this), msg.sender, _ids(conditionId), _pair(amount, amount), "");
        emit PositionSplit(msg.sender, conditionId, amount);
    }

    function mergePositions(bytes32 conditionId, uint256 amount) external {
        ctf.safeBatchTransferFrom(msg.sender, address(this), _ids(conditionId), _pair(amount, amount), "");
        ctf.mergePositions(IERC20Min(address(wcol)), bytes32(0), conditionId, _partition(), amount);
        wcol.burn(amount);
        require(col.transfer(msg.sender, amount), "could not send collateral");
    }

    /// amounts = [yes, no] in 6-decimal units, as on Polygon.
    function redeemPositions(bytes32 conditionId, uint256[] calldata amounts) external {
        require(amounts.length == 2, "amounts must be [yes, no]");
        ctf.safeBatchTransferFrom(msg.sender, address(this), _ids(conditionId), amounts, "");
        uint256 before = wcol.balanceOf(address(this));
        ctf.redeemPositions(IERC20Min(address(wcol)), bytes32(0), conditionId, _partition());
        uint256 payout = wcol.balanceOf(address(this)) - before;
        if (payout > 0) {
            wcol.burn(payout);
            require(col.transfer(msg.sender, payout), "could not send payout");
        }
        emit PayoutRedemption(msg.sender, conditionId, amounts, payout);
    }

    function _ids(bytes32 conditionId) private view returns (uint256[] memory ids) {
        ids = new uint256[](2);
        ids[0] = getPositionId(conditionId, true);
        ids[1] = getPositionId(conditionId, false);
    }

    function _partition() private pure returns (uint256[] memory p) {
        p = new uint256[](2);
        p[0] = 1;
        p[1] = 2;
    }

    function _pair(uint256 a, uint256 b) private pure returns (uint256[] memory p) {
        p = new uint256[](2);
        p[0] = a;
        p[1] = b;
    }
}
