// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title BenchNFT
/// @notice Exists only for benchmarking: a plain OpenZeppelin ERC-721 whose mint and transfer gas
/// `bench/gas.ts` prints next to the ledger's, as the "one NFT per batch" baseline. Not deployed anywhere.
/// @dev Anyone may mint any unused token id; there is no access control on purpose.
contract BenchNFT is ERC721 {
    constructor() ERC721("TraceFin Bench NFT", "TFBENCH") {}

    /// @notice Mints `tokenId` to `to` (no receiver check, like a batch commissioned to its producer).
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}
