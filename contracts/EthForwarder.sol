// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * A contract that passes ETH on inside the same transaction, as laundering contracts, smart wallets and
 * batch senders do. The onward payment is an internal call: it has no transaction of its own and no
 * log, so only a trace (`debug_traceTransaction` with the call tracer) shows it.
 */
contract EthForwarder {
    function forward(address payable to) external payable {
        (bool sent, ) = to.call{value: msg.value}("");
        require(sent, "forward failed");
    }
}
