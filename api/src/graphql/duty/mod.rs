//! The duty record (履职) over GraphQL: a deputy's archive (`dutyArchive`) assembled from the system's own
//! records, self-reported entries that staff verify, the points rule table and ledger (`pointsLedger`), and
//! quotas ("十个一") with each deputy's progress. The archive and the ledger are read by the deputy, their
//! congress's staff and admins; the public card shows only counts.

pub(crate) mod archive;
mod enums;
mod points;
mod quota;

pub use archive::{ArchiveEntry, DutyEntry, DutySummary, entry_node, public_summary};
pub use enums::EntryKind;
pub use points::{PointRule, point_rule_node};
pub use quota::{DutyQuota, quota_node};

use async_graphql::MergedObject;

/// Queries of the duty record.
#[derive(MergedObject, Default)]
pub struct DutyQuery(archive::ArchiveQuery, points::PointsQuery, quota::QuotaQuery);

/// Mutations of the duty record.
#[derive(MergedObject, Default)]
pub struct DutyMutation(archive::ArchiveMutation, points::PointsMutation, quota::QuotaMutation);
