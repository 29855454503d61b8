// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MainnetTokenStandIn} from "./MainnetTokenStandIn.sol";

/**
 * WETH9's behaviour at the real WETH address (0xc02a...6cc2) on the local chain: `deposit` (or plain
 * ETH) wraps and emits `Deposit`, `withdraw` unwraps and emits `Withdrawal`, as WETH9 does; neither emits
 * `Transfer`, which is why the tracer treats ETH sent to WETH as a wrap. Same storage layout as
 * MainnetTokenStandIn (balances at slot 0, name/symbol/decimals at slots 3-5): the demo funds it with
 * `hardhat_setStorageAt` and backs the wrapped balance with `hardhat_setBalance`.
 */
contract WrappedEtherStandIn is MainnetTokenStandIn {
    event Deposit(address indexed dst, uint256 wad);
    event Withdrawal(address indexed src, uint256 wad);

    receive() external payable {
        deposit();
    }

    function deposit() public payable {
        balanceOf[msg.sender] += msg.value;
        totalSupply += msg.value;
        emit Deposit(msg.sender, msg.value);
    }

    function withdraw(uint256 wad) external {
        require(balanceOf[msg.sender] >= wad, "balance too low");
        balanceOf[msg.sender] -= wad;
        totalSupply -= wad;
        emit Withdrawal(msg.sender, wad);
        (bool sent, ) = payable(msg.sender).call{value: wad}("");
        require(sent, "ETH transfer failed");
    }
}
