//! The directory over GraphQL: congresses, deputies (the roster), liaison stations, handling units,
//! deputy groups, committees and professional groups.

mod congress;
mod deputy;
mod enums;
mod groups;
mod qr;
mod reception;
mod station;

pub use congress::Congress;
pub use deputy::Deputy;
pub use groups::{Committee, DeputyGroup, HandlingUnit, ProfessionalGroup};
pub use qr::{DeputyCard, DeputyQrCode};
pub use reception::{ReceptionDay, ReceptionDayKey};
pub use station::LiaisonStation;

use super::error::{ApiError, ApiResult};
use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct DirectoryQuery(
    congress::CongressQuery,
    deputy::DeputyQuery,
    station::StationQuery,
    groups::GroupQuery,
    qr::QrQuery,
    reception::ReceptionQuery,
);

#[derive(MergedObject, Default)]
pub struct DirectoryMutation(
    congress::CongressMutation,
    deputy::DeputyMutation,
    station::StationMutation,
    groups::GroupMutation,
    qr::QrMutation,
    reception::ReceptionMutation,
);

/// A relation the database guarantees (a foreign key) but the loader did not find.
pub(crate) fn required<T>(found: Option<T>, what: &str) -> ApiResult<T> {
    found.ok_or_else(|| {
        tracing::error!(what, "referenced record is missing");
        ApiError::new(crate::graphql::error::ErrorCode::Internal, "internal error; it has been logged")
    })
}
