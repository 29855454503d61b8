// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IERC20Minimal {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/**
 * Stands in for a DEX router at its real mainnet address on the local chain (installed with
 * `hardhat_setCode`, runtime code only, no storage). A swap is what the tracer sees on mainnet: in one
 * transaction, the trader's tokens go to the DEX and another token comes back from it to the trader.
 *
 * Unlike the real router it prices nothing and routes through no pool: it settles from its own
 * inventory (funded by the demo) at the amounts the caller names. That is enough for the evidence a
 * swap leaves on chain, two `Transfer` events in one transaction, which is all the tracer reads.
 */
contract SwapRouterStandIn {
    event Swap(
        address indexed trader,
        address tokenIn,
        uint256 amountIn,
        address tokenOut,
        uint256 amountOut
    );

    function swapExactTokensForTokens(
        address tokenIn,
        uint256 amountIn,
        address tokenOut,
        uint256 amountOut
    ) external {
        require(tokenIn != tokenOut, "same token in and out");
        require(IERC20Minimal(tokenIn).transferFrom(msg.sender, address(this), amountIn), "pull failed");
        require(IERC20Minimal(tokenOut).transfer(msg.sender, amountOut), "payout failed");
        emit Swap(msg.sender, tokenIn, amountIn, tokenOut, amountOut);
    }
}
