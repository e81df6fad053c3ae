// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title A kind of collateral the lien registry can hold a lien on
/// @notice Implemented by every instrument that can be pledged (warehouse receipts now, confirmed
/// receivables next). The lien registry runs the pledge workflow once for all of them; each
/// instrument only knows how to identify its underlying asset, lock and unlock itself, hand title to
/// an enforcing financier, and split off a released part.
/// @dev The functions that change state may be called only by the lien registry the instrument was
/// deployed with; everything else reverts with {NotLienRegistry}.
interface ICollateral {
    /// @notice The caller is not the lien registry this instrument trusts.
    error NotLienRegistry(address caller);

    /// @notice The key of the asset underneath instrument `collateralId`. The same goods lot or
    /// invoice gives the same key whatever instrument wraps it, so the lien registry can refuse a
    /// second lien on it even if two instruments ever claimed the same goods.
    /// @dev Reverts if the instrument does not exist.
    function collateralKey(uint256 collateralId) external view returns (bytes32);

    /// @notice The member that holds instrument `collateralId` and alone may pledge it.
    /// @dev Reverts if the instrument does not exist.
    function collateralHolder(uint256 collateralId) external view returns (address);

    /// @notice Lien registry only: the instrument is now pledged and must refuse transfer, split,
    /// redemption and any other change of its holder or underlying until {unlock} or {seize}.
    /// @dev Reverts if the instrument cannot be pledged now (frozen, expired, being redeemed, ...).
    function lock(uint256 collateralId) external;

    /// @notice Lien registry only: the lien ended by release; the holder has free use again.
    function unlock(uint256 collateralId) external;

    /// @notice Lien registry only: enforcement after default. Title moves to `to` (the financier
    /// or a buyer it names) and the instrument is free again.
    function seize(uint256 collateralId, address to) external;

    /// @notice Lien registry only: partial release. `quantity` of the pledged instrument is split
    /// off into a new, free instrument held by the same holder; the rest stays pledged.
    /// @return releasedId The new instrument.
    function releasePart(uint256 collateralId, uint256 quantity) external returns (uint256 releasedId);
}
