// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * An attacker's fake token: it calls itself "USD Coin" and emits `Transfer(from, to, value)` for any
 * `from` it is told, balances or not. Deployed at a fresh address, so it is on no token allow-list. It
 * shows why taint must not flow through tokens off the allow-list (DESIGN invariant 4): otherwise anyone
 * could make a theft's seed wallet appear to pay an innocent address.
 */
contract SpoofedToken {
    string public constant name = "USD Coin";
    string public constant symbol = "USDC";
    uint8 public constant decimals = 6;

    event Transfer(address indexed from, address indexed to, uint256 value);

    function balanceOf(address) external pure returns (uint256) {
        return 0;
    }

    function fakeTransfer(address from, address to, uint256 value) external {
        emit Transfer(from, to, value);
    }
}
