// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Role bits of consortium members
/// @notice A member's roles are the OR of these flags.
library Roles {
    uint32 internal constant ENTERPRISE = 1 << 0;
    uint32 internal constant WAREHOUSE = 1 << 1;
    uint32 internal constant LOGISTICS = 1 << 2;
    uint32 internal constant FINANCIER = 1 << 3;
    uint32 internal constant INSURER = 1 << 4;
    uint32 internal constant INSPECTOR = 1 << 5;
    uint32 internal constant REGULATOR = 1 << 6;
    uint32 internal constant AUDITOR = 1 << 7;
    /// @dev Every defined role; bits outside it are rejected so a typo cannot grant an unknown role.
    uint32 internal constant ALL = (1 << 8) - 1;
    /// @dev Asking for no role asks only whether the account is an active member.
    uint32 internal constant ANY_MEMBER = 0;
}
