// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC1155Receiver, IERC20Min} from "./IERC1155Receiver.sol";

/// The parts of Gnosis' ConditionalTokens (the CTF Polymarket uses) that a copy trader touches: conditions,
/// payouts, split/merge/redeem against an ERC-20 collateral, and ERC-1155 outcome positions whose ids are
/// derived exactly as the CTF derives them (condition id = keccak(oracle, questionId, slots); collection id =
/// a point on alt_bn128 hashed from (conditionId, indexSet), added to the parent's point; position id =
/// keccak(collateral, collectionId)). Written for polytail's local chain; not the audited original.
contract ConditionalTokens {
    event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value);
    event TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values);
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    event ConditionPreparation(bytes32 indexed conditionId, address indexed oracle, bytes32 indexed questionId, uint256 outcomeSlotCount);
    event ConditionResolution(
        bytes32 indexed conditionId,
        address indexed oracle,
        bytes32 indexed questionId,
        uint256 outcomeSlotCount,
        uint256[] payoutNumerators
    );
    event PositionSplit(
        address indexed stakeholder,
        address collateralToken,
        bytes32 indexed parentCollectionId,
        bytes32 indexed conditionId,
        uint256[] partition,
        uint256 amount
    );
    event PositionsMerge(
        address indexed stakeholder,
        address collateralToken,
        bytes32 indexed parentCollectionId,
        bytes32 indexed conditionId,
        uint256[] partition,
        uint256 amount
    );
    event PayoutRedemption(
        address indexed redeemer,
        address indexed collateralToken,
        bytes32 indexed parentCollectionId,
        bytes32 conditionId,
        uint256[] indexSets,
        uint256 payout
    );

    uint256 private constant P = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
    uint256 private constant B = 3;

    mapping(uint256 => mapping(address => uint256)) private balances;
    mapping(address => mapping(address => bool)) public isApprovedForAll;
    /// Numerators per outcome slot; the array's length is the slot count (0 = not prepared).
    mapping(bytes32 => uint256[]) public payoutNumerators;
    /// Sum of the numerators once reported (0 = unresolved).
    mapping(bytes32 => uint256) public payoutDenominator;

    // ---------------------------------------------------------------- ERC-1155

    function balanceOf(address owner, uint256 id) external view returns (uint256) {
        return balances[id][owner];
    }

    function balanceOfBatch(address[] calldata owners, uint256[] calldata ids) external view returns (uint256[] memory out) {
        require(owners.length == ids.length, "ERC1155: length mismatch");
        out = new uint256[](owners.length);
        for (uint256 i = 0; i < owners.length; i++) out[i] = balances[ids[i]][owners[i]];
    }

    function setApprovalForAll(address operator, bool approved) external {
        isApprovedForAll[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    function supportsInterface(bytes4 id) external pure returns (bool) {
        return id == 0xd9b67a26 || id == 0x01ffc9a7;
    }

    function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes calldata data) external {
        require(from == msg.sender || isApprovedForAll[from][msg.sender], "ERC1155: caller is not owner nor approved");
        _move(from, to, id, value);
        emit TransferSingle(msg.sender, from, to, id, value);
        _checkSingle(from, to, id, value, data);
    }

    function safeBatchTransferFrom(
        address from,
        address to,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata data
    ) external {
        require(from == msg.sender || isApprovedForAll[from][msg.sender], "ERC1155: caller is not owner nor approved");
        require(ids.length == values.length, "ERC1155: length mismatch");
        for (uint256 i = 0; i < ids.length; i++) _move(from, to, ids[i], values[i]);
        emit TransferBatch(msg.sender, from, to, ids, values);
        _checkBatch(from, to, ids, values, data);
    }

    // ---------------------------------------------------------------- conditions

    function prepareCondition(address oracle, bytes32 questionId, uint256 outcomeSlotCount) external {
        require(outcomeSlotCount > 1 && outcomeSlotCount <= 256, "there should be more than one outcome slot");
        bytes32 conditionId = getConditionId(oracle, questionId, outcomeSlotCount);
        require(payoutNumerators[conditionId].length == 0, "condition already prepared");
        payoutNumerators[conditionId] = new uint256[](outcomeSlotCount);
        emit ConditionPreparation(conditionId, oracle, questionId, outcomeSlotCount);
    }

    /// Called by the oracle: the condition id is derived from msg.sender, so only its oracle can resolve it.
    function reportPayouts(bytes32 questionId, uint256[] calldata payouts) external {
        uint256 slots = payouts.length;
        bytes32 conditionId = getConditionId(msg.sender, questionId, slots);
        require(payoutNumerators[conditionId].length == slots && slots > 1, "condition not prepared or found");
        require(payoutDenominator[conditionId] == 0, "payout denominator already set");
        uint256 den = 0;
        for (uint256 i = 0; i < slots; i++) {
            den += payouts[i];
            payoutNumerators[conditionId][i] = payouts[i];
        }
        require(den > 0, "payout is all zeroes");
        payoutDenominator[conditionId] = den;
        emit ConditionResolution(conditionId, msg.sender, questionId, slots, payouts);
    }

    function getOutcomeSlotCount(bytes32 conditionId) external view returns (uint256) {
        return payoutNumerators[conditionId].length;
    }

    // ---------------------------------------------------------------- split / merge / redeem

    function splitPosition(
        IERC20Min collateralToken,
        bytes32 parentCollectionId,
        bytes32 conditionId,
        uint256[] calldata partition,
        uint256 amount
    ) external {
        uint256 full = _checkPartition(conditionId, partition);
        uint256 union = 0;
        uint256[] memory ids = new uint256[](partition.length);
        uint256[] memory amounts = new uint256[](partition.length);
        for (uint256 i = 0; i < partition.length; i++) {
            union |= partition[i];
            ids[i] = getPositionId(address(collateralToken), getCollectionId(parentCollectionId, conditionId, partition[i]));
            amounts[i] = amount;
        }
        if (union == full) {
            if (parentCollectionId == bytes32(0)) {
                require(collateralToken.transferFrom(msg.sender, address(this), amount), "could not receive collateral tokens");
            } else {
                _burn(msg.sender, getPositionId(address(collateralToken), parentCollectionId), amount);
            }
        } else {
            _burn(msg.sender, getPositionId(address(collateralToken), getCollectionId(parentCollectionId, conditionId, union)), amount);
        }
        for (uint256 i = 0; i < ids.length; i++) balances[ids[i]][msg.sender] += amount;
        emit TransferBatch(msg.sender, address(0), msg.sender, ids, amounts);
        _checkBatch(address(0), msg.sender, ids, amounts, "");
        emit PositionSplit(msg.sender, address(collateralToken), parentCollectionId, conditionId, partition, amount);
    }

    function mergePositions(
        IERC20Min collateralToken,
        bytes32 parentCollectionId,
        bytes32 conditionId,
        uint256[] calldata partition,
        uint256 amount
    ) external {
        uint256 full = _checkPartition(conditionId, partition);
        uint256 union = 0;
        for (uint256 i = 0; i < partition.length; i++) {
            union |= partition[i];
            _burn(msg.sender, getPositionId(address(collateralToken), getCollectionId(parentCollectionId, conditionId, partition[i])), amount);
        }
        if (union == full) {
            if (parentCollectionId == bytes32(0)) {
                require(collateralToken.transfer(msg.sender, amount), "could not send collateral tokens");
            } else {
                _mint(msg.sender, getPositionId(address(collateralToken), parentCollectionId), amount);
            }
        } else {
            _mint(msg.sender, getPositionId(address(collateralToken), getCollectionId(parentCollectionId, conditionId, union)), amount);
        }
        emit PositionsMerge(msg.sender, address(collateralToken), parentCollectionId, conditionId, partition, amount);
    }

    /// Burns the caller's whole balance of each given position and pays balance × numerator / denominator.
    function redeemPositions(
        IERC20Min collateralToken,
        bytes32 parentCollectionId,
        bytes32 conditionId,
        uint256[] calldata indexSets
    ) external {
        uint256 den = payoutDenominator[conditionId];
        require(den > 0, "result for condition not received yet");
        uint256 slots = payoutNumerators[conditionId].length;
        uint256 full = (1 << slots) - 1;
        uint256 total = 0;
        for (uint256 i = 0; i < indexSets.length; i++) {
            uint256 indexSet = indexSets[i];
            require(indexSet > 0 && indexSet < full, "got invalid index set");
            uint256 positionId = getPositionId(address(collateralToken), getCollectionId(parentCollectionId, conditionId, indexSet));
            uint256 numerator = 0;
            for (uint256 j = 0; j < slots; j++) if (indexSet & (1 << j) != 0) numerator += payoutNumerators[conditionId][j];
            uint256 stake = balances[positionId][msg.sender];
            if (stake > 0) {
                total += (stake * numerator) / den;
                _burn(msg.sender, positionId, stake);
            }
        }
        if (total > 0) {
            if (parentCollectionId == bytes32(0)) {
                require(collateralToken.transfer(msg.sender, total), "could not transfer payout to message sender");
            } else {
                _mint(msg.sender, getPositionId(address(collateralToken), parentCollectionId), total);
            }
        }
        emit PayoutRedemption(msg.sender, address(collateralToken), parentCollectionId, conditionId, indexSets, total);
    }

    // ---------------------------------------------------------------- ids

    function getConditionId(address oracle, bytes32 questionId, uint256 outcomeSlotCount) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(oracle, questionId, outcomeSlotCount));
    }

    function getCollectionId(bytes32 parentCollectionId, bytes32 conditionId, uint256 indexSet) public view returns (bytes32) {
        uint256 x1 = uint256(keccak256(abi.encodePacked(conditionId, indexSet)));
        bool odd = x1 >> 255 != 0;
        uint256 y1;
        uint256 yy;
        do {
            x1 = addmod(x1, 1, P);
            yy = addmod(mulmod(x1, mulmod(x1, x1, P), P), B, P);
            y1 = _sqrt(yy);
        } while (mulmod(y1, y1, P) != yy);
        if ((odd && y1 % 2 == 0) || (!odd && y1 % 2 == 1)) y1 = P - y1;

        uint256 x2 = uint256(parentCollectionId);
        if (x2 != 0) {
            odd = x2 >> 254 != 0;
            x2 = (x2 << 2) >> 2;
            yy = addmod(mulmod(x2, mulmod(x2, x2, P), P), B, P);
            uint256 y2 = _sqrt(yy);
            if ((odd && y2 % 2 == 0) || (!odd && y2 % 2 == 1)) y2 = P - y2;
            require(mulmod(y2, y2, P) == yy, "invalid parent collection ID");
            (bool ok, bytes memory ret) = address(6).staticcall(abi.encode(x1, y1, x2, y2));
            require(ok, "ecadd failed");
            (x1, y1) = abi.decode(ret, (uint256, uint256));
        }
        if (y1 % 2 == 1) x1 ^= 1 << 254;
        return bytes32(x1);
    }

    function getPositionId(address collateralToken, bytes32 collectionId) public pure returns (uint256) {
        return uint256(keccak256(abi.encodePacked(collateralToken, collectionId)));
    }

    // ---------------------------------------------------------------- internals

    /// x^((P+1)/4) mod P through the modexp precompile: a square root when one exists (P ≡ 3 mod 4).
    function _sqrt(uint256 x) private view returns (uint256 y) {
        (bool ok, bytes memory ret) = address(5).staticcall(abi.encode(uint256(32), uint256(32), uint256(32), x, (P + 1) / 4, P));
        require(ok, "modexp failed");
        y = abi.decode(ret, (uint256));
    }

    function _checkPartition(bytes32 conditionId, uint256[] calldata partition) private view returns (uint256 full) {
        require(partition.length > 1, "got empty or singleton partition");
        uint256 slots = payoutNumerators[conditionId].length;
        require(slots > 0, "condition not prepared yet");
        full = (1 << slots) - 1;
        uint256 seen = 0;
        for (uint256 i = 0; i < partition.length; i++) {
            uint256 s = partition[i];
            require(s > 0 && s < full, "got invalid index set");
            require(seen & s == 0, "partition not disjoint");
            seen |= s;
        }
    }

    function _move(address from, address to, uint256 id, uint256 value) private {
        require(balances[id][from] >= value, "ERC1155: insufficient balance for transfer");
        balances[id][from] -= value;
        balances[id][to] += value;
    }

    function _mint(address to, uint256 id, uint256 value) private {
        balances[id][to] += value;
        emit TransferSingle(msg.sender, address(0), to, id, value);
        _checkSingle(address(0), to, id, value, "");
    }

    function _burn(address from, uint256 id, uint256 value) private {
        require(balances[id][from] >= value, "ERC1155: burn amount exceeds balance");
        balances[id][from] -= value;
        emit TransferSingle(msg.sender, from, address(0), id, value);
    }

    function _checkSingle(address from, address to, uint256 id, uint256 value, bytes memory data) private {
        if (to.code.length == 0) return;
        require(
            IERC1155Receiver(to).onERC1155Received(msg.sender, from, id, value, data) == IERC1155Receiver.onERC1155Received.selector,
            "ERC1155: ERC1155Receiver rejected tokens"
        );
    }

    function _checkBatch(address from, address to, uint256[] memory ids, uint256[] memory values, bytes memory data) private {
        if (to.code.length == 0) return;
        require(
            IERC1155Receiver(to).onERC1155BatchReceived(msg.sender, from, ids, values, data) ==
                IERC1155Receiver.onERC1155BatchReceived.selector,
            "ERC1155: ERC1155Receiver rejected tokens"
        );
    }
}
