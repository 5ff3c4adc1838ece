//! Disk categories, and what each allows a snapshot to be.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The category of a disk, spelled as the API spells it (SUPPLEMENT, "States and categories").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiskCategory {
    /// `cloud`: basic disk.
    Cloud,
    /// `cloud_efficiency`: ultra disk.
    CloudEfficiency,
    /// `cloud_ssd`: standard SSD.
    CloudSsd,
    /// `cloud_essd`: enhanced SSD, of the ESSD series, which has instant access (the default of
    /// a disk in a facts file).
    #[default]
    CloudEssd,
    /// `cloud_auto`: ESSD AutoPL disk (ESSD series).
    CloudAuto,
    /// `cloud_essd_entry`: ESSD Entry disk (ESSD series).
    CloudEssdEntry,
    /// `cloud_regional_disk_auto`: regional ESSD (ESSD series).
    CloudRegionalDiskAuto,
    /// `elastic_ephemeral_disk_standard`: an elastic ephemeral disk, which holds no snapshots.
    ElasticEphemeralDiskStandard,
    /// `elastic_ephemeral_disk_premium`: an elastic ephemeral disk, which holds no snapshots.
    ElasticEphemeralDiskPremium,
    /// `local_ssd_pro`: a local disk, which holds no snapshots.
    LocalSsdPro,
    /// `local_hdd_pro`: a local disk, which holds no snapshots.
    LocalHddPro,
    /// `ephemeral`: a local disk, which holds no snapshots.
    Ephemeral,
    /// `ephemeral_ssd`: a local disk, which holds no snapshots.
    EphemeralSsd,
}

/// Whether a category holds snapshots, and if not, which error says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SnapshotSupport {
    /// Snapshots can be created.
    Supported,
    /// An Elastic Block Storage product without snapshots (elastic ephemeral disks):
    /// `DiskId.ValueNotSupported`.
    UnsupportedBlockStorage,
    /// A local device, tied to its host (local and ephemeral disks):
    /// `IncorrectDiskType.NotSupport`.
    UnsupportedDevice,
}

impl DiskCategory {
    /// Every category, in the SUPPLEMENT's order.
    pub const ALL: [DiskCategory; 13] = [
        DiskCategory::Cloud,
        DiskCategory::CloudEfficiency,
        DiskCategory::CloudSsd,
        DiskCategory::CloudEssd,
        DiskCategory::CloudAuto,
        DiskCategory::CloudEssdEntry,
        DiskCategory::CloudRegionalDiskAuto,
        DiskCategory::ElasticEphemeralDiskStandard,
        DiskCategory::ElasticEphemeralDiskPremium,
        DiskCategory::LocalSsdPro,
        DiskCategory::LocalHddPro,
        DiskCategory::Ephemeral,
        DiskCategory::EphemeralSsd,
    ];

    /// The category as the API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            DiskCategory::Cloud => "cloud",
            DiskCategory::CloudEfficiency => "cloud_efficiency",
            DiskCategory::CloudSsd => "cloud_ssd",
            DiskCategory::CloudEssd => "cloud_essd",
            DiskCategory::CloudAuto => "cloud_auto",
            DiskCategory::CloudEssdEntry => "cloud_essd_entry",
            DiskCategory::CloudRegionalDiskAuto => "cloud_regional_disk_auto",
            DiskCategory::ElasticEphemeralDiskStandard => "elastic_ephemeral_disk_standard",
            DiskCategory::ElasticEphemeralDiskPremium => "elastic_ephemeral_disk_premium",
            DiskCategory::LocalSsdPro => "local_ssd_pro",
            DiskCategory::LocalHddPro => "local_hdd_pro",
            DiskCategory::Ephemeral => "ephemeral",
            DiskCategory::EphemeralSsd => "ephemeral_ssd",
        }
    }

    /// Whether a disk of this category holds snapshots (`docs/DECISIONS.md`, D54).
    pub const fn snapshot_support(self) -> SnapshotSupport {
        match self {
            DiskCategory::Cloud
            | DiskCategory::CloudEfficiency
            | DiskCategory::CloudSsd
            | DiskCategory::CloudEssd
            | DiskCategory::CloudAuto
            | DiskCategory::CloudEssdEntry
            | DiskCategory::CloudRegionalDiskAuto => SnapshotSupport::Supported,
            DiskCategory::ElasticEphemeralDiskStandard
            | DiskCategory::ElasticEphemeralDiskPremium => SnapshotSupport::UnsupportedBlockStorage,
            DiskCategory::LocalSsdPro
            | DiskCategory::LocalHddPro
            | DiskCategory::Ephemeral
            | DiskCategory::EphemeralSsd => SnapshotSupport::UnsupportedDevice,
        }
    }

    /// Whether the category is of the ESSD series: ESSDs, ESSD AutoPL disks, ESSD Entry disks
    /// and regional ESSDs, as the current reference counts them.
    pub const fn is_essd_series(self) -> bool {
        matches!(
            self,
            DiskCategory::CloudEssd
                | DiskCategory::CloudAuto
                | DiskCategory::CloudEssdEntry
                | DiskCategory::CloudRegionalDiskAuto
        )
    }

    /// Whether a snapshot of this category can have instant access (or be a `Flash` local
    /// snapshot): the ESSD series (`docs/DECISIONS.md`, D227).
    pub const fn supports_instant_access(self) -> bool {
        self.is_essd_series()
    }
}

impl fmt::Display for DiskCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
