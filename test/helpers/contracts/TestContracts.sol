// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A minimal ERC-20 whose state sits in fixed slots, so that a test can install its runtime code at any
/// address (a real token's mainnet address) with hardhat_setCode and seed it with hardhat_setStorageAt:
/// slot 0 balances, 1 allowances, 2 totalSupply, 3 decimals, 4 symbol (a short string).
contract TestToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    uint256 public totalSupply;
    uint8 public decimals;
    string public symbol;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        require(allowed >= value, "allowance");
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - value;
        _move(from, to, value);
        return true;
    }

    /// Anyone may mint: this is a test token. Emits Transfer from the zero address like real tokens.
    function mint(address to, uint256 value) external {
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function _move(address from, address to, uint256 value) private {
        require(balanceOf[from] >= value, "balance");
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}

/// An attacker's token: emits Transfer events for any parties without holding anything (the spoofing
/// that DESIGN invariant 4 guards against).
contract SpoofToken {
    event Transfer(address indexed from, address indexed to, uint256 value);

    function fakeTransfer(address from, address to, uint256 value) external {
        emit Transfer(from, to, value);
    }
}

/// Moves ether in the ways the call tracer must be read for: splits, nested calls, delegate calls,
/// creations, self-destruction, swallowed reverts, and relayed calls that name an account in a log.
contract ValueRouter {
    event Relayed(address indexed account, uint256 value);
    event RelayedFor(address account, uint256 value);

    receive() external payable {}

    /// Two internal transfers: half to each recipient.
    function split(address payable first, address payable second) external payable {
        uint256 half = msg.value / 2;
        _pay(first, half);
        _pay(second, msg.value - half);
    }

    /// Calls `target` with the whole value and `input`; requires success.
    function forward(address target, bytes calldata input) external payable {
        (bool ok, ) = target.call{value: msg.value}(input);
        require(ok, "forward failed");
    }

    /// Calls `target` with the value and ignores its failure: the transaction succeeds, the call reverts.
    function forwardIgnoringFailure(address target, bytes calldata input) external payable {
        (bool ok, ) = target.call{value: msg.value}(input);
        ok;
    }

    /// Runs `implementation`'s code on this contract's balance (e.g. split from here).
    function delegate(address implementation, bytes calldata input) external payable {
        (bool ok, ) = implementation.delegatecall(input);
        require(ok, "delegatecall failed");
    }

    /// Creates a contract from `code`, endowed with the value.
    function create(bytes memory code) external payable returns (address created) {
        uint256 value = msg.value;
        assembly {
            created := create(value, add(code, 0x20), mload(code))
        }
        require(created != address(0), "create failed");
    }

    /// Relays a call for `account` the way an ERC-4337 EntryPoint does: names it in an indexed topic.
    function relay(address account, bytes calldata input) external payable {
        emit Relayed(account, msg.value);
        (bool ok, ) = account.call{value: msg.value}(input);
        require(ok, "relay failed");
    }

    /// Same, naming the account in the log's data instead of a topic.
    function relayNamedInData(address account, bytes calldata input) external payable {
        emit RelayedFor(account, msg.value);
        (bool ok, ) = account.call{value: msg.value}(input);
        require(ok, "relay failed");
    }

    /// Always reverts: a transaction calling it with value fails and moves nothing.
    function refuse() external payable {
        revert("refused");
    }

    /// Sends this contract's whole balance to `beneficiary` by self-destruction.
    function destroy(address payable beneficiary) external {
        selfdestruct(beneficiary);
    }

    function _pay(address payable to, uint256 value) private {
        (bool ok, ) = to.call{value: value}("");
        require(ok, "payment failed");
    }
}

/// Pays `to` then reverts: the payment must not count.
contract PayThenRevert {
    function payAndRevert(address payable to) external payable {
        (bool ok, ) = to.call{value: msg.value}("");
        require(ok, "payment failed");
        revert("undone");
    }
}

/// A smart account: its owner (or a relayer) makes it pay from its own balance.
contract SmartAccount {
    /// Payable so that a factory can create it with an endowment.
    constructor() payable {}

    receive() external payable {}

    function execute(address payable to, uint256 value) external payable {
        (bool ok, ) = to.call{value: value}("");
        require(ok, "execute failed");
    }
}
