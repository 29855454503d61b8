// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * A minimal ERC-20 put at a real mainnet token address (USDC, USDT) on the local development chain with
 * `hardhat_setCode`. Only the RUNTIME code is installed there, so no constructor ever runs: name, symbol,
 * decimals and balances are written into storage with `hardhat_setStorageAt`.
 *
 * Storage layout the demo relies on (infra/local/demo/token-storage.ts writes it):
 *   slot 0  mapping(address => uint256) balanceOf        balance of A at keccak256(abi.encode(A, 0))
 *   slot 1  mapping(address => mapping(address => uint256)) allowance
 *   slot 2  uint256 totalSupply
 *   slot 3  string name     (short string: bytes left-aligned, length * 2 in the lowest byte)
 *   slot 4  string symbol   (same encoding)
 *   slot 5  uint8 decimals
 *
 * Differences from the real contracts, on purpose: no proxy, no pausing, no blacklist, and `transfer` /
 * `transferFrom` return bool (the real USDT returns nothing; callers that ignore the return value, as
 * the chain reader does, see no difference). `Transfer` and `Approval` are the standard events.
 * A zero-value `transferFrom` by anyone succeeds, as on the real USDT: that is what address-poisoning
 * spam uses.
 */
contract MainnetTokenStandIn {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    uint256 public totalSupply;
    string public name;
    string public symbol;
    uint8 public decimals;

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
        require(allowed >= value, "allowance too low");
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - value;
        _move(from, to, value);
        return true;
    }

    function _move(address from, address to, uint256 value) internal {
        require(to != address(0), "transfer to the zero address");
        uint256 held = balanceOf[from];
        require(held >= value, "balance too low");
        balanceOf[from] = held - value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
