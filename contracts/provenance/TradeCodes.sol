// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Validation of the trade identifiers the ledger accepts
/// @notice GS1 GTINs (check digit), WCO Harmonized System codes, UN/CEFACT Recommendation 20
/// unit codes and ISO 4217 currency codes. Checked on-chain so that no malformed identifier ever reaches the indexed record.
library TradeCodes {
    uint64 private constant GTIN_LIMIT = 1e14;

    /// @notice True for a GTIN-8/12/13/14 given as a number whose last digit is its GS1 check digit.
    /// @dev Leading zeros vanish in the number, which leaves the check digit unchanged because
    /// the weights (3, 1, 3, ...) are counted from the right.
    function isValidGtin(uint64 gtin) internal pure returns (bool) {
        if (gtin == 0 || gtin >= GTIN_LIMIT) return false;
        uint256 rest = gtin / 10;
        uint256 sum;
        uint256 weight = 3;
        while (rest != 0) {
            sum += (rest % 10) * weight;
            rest /= 10;
            weight = 4 - weight;
        }
        return (10 - (sum % 10)) % 10 == gtin % 10;
    }

    /// @notice True for an HS code of 6, 8 or 10 ASCII digits (international heading or national line).
    function isValidHsCode(string calldata hsCode) internal pure returns (bool) {
        bytes calldata digits = bytes(hsCode);
        uint256 length = digits.length;
        if (length != 6 && length != 8 && length != 10) return false;
        for (uint256 i; i < length; ++i) {
            if (digits[i] < "0" || digits[i] > "9") return false;
        }
        return true;
    }

    /// @notice True for a left-aligned UN/CEFACT Rec. 20 code of two or three upper-case letters or digits
    /// (e.g. "KGM", "H87", "LTR").
    function isValidUnit(bytes3 unit) internal pure returns (bool) {
        for (uint256 i; i < 3; ++i) {
            bytes1 c = unit[i];
            bool alphanumeric = (c >= "A" && c <= "Z") || (c >= "0" && c <= "9");
            if (!alphanumeric && !(i == 2 && c == 0)) return false;
        }
        return true;
    }

    /// @notice True for an ISO 4217 alphabetic currency code: exactly three ASCII capital letters ("CNY").
    function isValidCurrency(bytes3 currency) internal pure returns (bool) {
        for (uint256 i; i < 3; ++i) {
            bytes1 letter = currency[i];
            if (letter < "A" || letter > "Z") return false;
        }
        return true;
    }
}
