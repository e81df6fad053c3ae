// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice The few Foundry cheatcodes this suite uses (forge-std is not vendored here).
/// @dev Signatures as in forge-std's Vm.sol; the address is keccak256("hevm cheat code")'s last 20 bytes.
interface Vm {
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function assume(bool condition) external pure;
    function warp(uint256 newTimestamp) external;
    function label(address account, string calldata newLabel) external;
}

/// @notice Shared base: the cheatcode handle and a forge-std style `bound`.
abstract contract ForgeBase {
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    /// @dev Maps `x` uniformly-ish into [min, max] without rejecting inputs (keeps fuzz runs productive).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x; // also covers the whole uint256 range
        return min + (x % (max - min + 1));
    }
}
