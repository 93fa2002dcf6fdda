//! Deputy QR codes over GraphQL: the code as the deputy and their staff see it, renewing it, and the
//! public card a code opens (no login).

use super::Deputy;
use super::enums::{CongressLevel, StationKind};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use edaibiao_infra::directory::card::{self, CardReceptionDay, CardStation, PublicWork};
use edaibiao_infra::directory::qr::{self, DeputyQr};

/// A deputy's QR code (代表二维码) as the deputy, the congress's staff and the deputy's station see it.
pub struct DeputyQrCode {
    qr: DeputyQr,
    base: String,
}

impl DeputyQrCode {
    fn new(qr: DeputyQr, base: &str) -> Self {
        Self { qr, base: base.to_owned() }
    }

    fn image_url(&self, extension: &str) -> String {
        let id = ids::encode(NodeKind::Deputy, self.qr.deputy.id);
        format!("{}/qr/deputies/{}.{extension}", self.base, id.as_str())
    }
}

/// A deputy's QR code (代表二维码) as the deputy, the congress's staff and the deputy's station see it.
#[Object]
impl DeputyQrCode {
    /// The deputy whose code this is.
    async fn deputy(&self) -> Deputy {
        Deputy(self.qr.deputy.clone())
    }
    /// The token the code carries. Whoever has it can open the deputy's public card and contact form;
    /// renew it with `rotateDeputyQrToken` if a code should stop working.
    async fn token(&self) -> &str {
        self.qr.token.as_str()
    }
    /// The public link the code opens: `{PUBLIC_BASE_URL}/d/{token}`.
    async fn url(&self) -> String {
        self.qr.token.card_url(&self.base)
    }
    /// The code as an SVG image. Fetch it with the same `Authorization` header; `?size=` sets the edge
    /// length in pixels (128–1024, default 256).
    async fn svg_url(&self) -> String {
        self.image_url("svg")
    }
    /// The code as a PNG image. Fetch it with the same `Authorization` header; `?size=` sets the edge
    /// length in pixels (128–1024, default 256).
    async fn png_url(&self) -> String {
        self.image_url("png")
    }
    /// When the token was last renewed; null while it is the first one.
    async fn rotated_at(&self) -> Option<DateTime<Utc>> {
        self.qr.rotated_at
    }
}

/// What anyone who scans a deputy's QR code may see: who the deputy is, where and when they receive
/// the public, and their recent public work. Never a phone number.
pub struct DeputyCard(pub card::DeputyCard);

/// What anyone who scans a deputy's QR code may see: who the deputy is, where and when they receive
/// the public, and their recent public work. Never a phone number.
#[Object]
impl DeputyCard {
    /// The deputy's global ID (the same as `Deputy.id`).
    async fn deputy_id(&self) -> ID {
        ids::encode(NodeKind::Deputy, self.0.deputy_id)
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Public photo.
    async fn photo_url(&self) -> Option<&str> {
        self.0.photo_url.as_deref()
    }
    /// Public biography.
    async fn bio(&self) -> Option<&str> {
        self.0.bio.as_deref()
    }
    /// Areas of expertise, sorted.
    async fn expertise(&self) -> &[String] {
        &self.0.expertise
    }
    /// Name of the congress the deputy was elected to.
    async fn congress_name(&self) -> &str {
        &self.0.congress_name
    }
    /// Level of that congress.
    async fn congress_level(&self) -> CongressLevel {
        self.0.congress_level.into()
    }
    /// Name of the delegation or deputy group (代表团 / 代表小组).
    async fn deputy_group_name(&self) -> Option<&str> {
        self.0.deputy_group.as_deref()
    }
    /// The liaison station where the deputy receives the public, with its next reception days.
    async fn liaison_station(&self) -> Option<DeputyCardStation> {
        self.0.station.clone().map(DeputyCardStation)
    }
    /// The deputy's latest suggestions (led by them) that have a public answer, newest answer first;
    /// at most 5.
    async fn recent_public_suggestions(&self) -> Vec<PublicSuggestion> {
        self.0.recent_work.iter().cloned().map(PublicSuggestion).collect()
    }
    /// The public summary of the deputy's duty record for a calendar year (default: this year, China
    /// Standard Time): how many entries of each kind, nothing else.
    async fn duty_summary(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "Calendar year (China Standard Time); this year when omitted.")] year: Option<i32>,
    ) -> ApiResult<crate::graphql::duty::DutySummary> {
        let year = year
            .unwrap_or_else(|| chrono::Datelike::year(&edaibiao_domain::time::cst_date(chrono::Utc::now())));
        crate::graphql::duty::public_summary(ctx, self.0.deputy_id, year).await
    }
}

/// The deputy's liaison station as their public card shows it.
pub struct DeputyCardStation(CardStation);

/// The deputy's liaison station as their public card shows it.
#[Object]
impl DeputyCardStation {
    /// The station's global ID (the same as `LiaisonStation.id`).
    async fn station_id(&self) -> ID {
        ids::encode(NodeKind::LiaisonStation, self.0.id)
    }
    /// Name as signposted.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Kind of place.
    async fn kind(&self) -> StationKind {
        self.0.kind.into()
    }
    /// Street address.
    async fn address(&self) -> &str {
        &self.0.address
    }
    /// WGS-84 latitude in degrees, if known.
    async fn latitude(&self) -> Option<f64> {
        self.0.latitude
    }
    /// WGS-84 longitude in degrees, if known.
    async fn longitude(&self) -> Option<f64> {
        self.0.longitude
    }
    /// Opening hours as published.
    async fn opening_hours(&self) -> Option<&str> {
        self.0.opening_hours.as_deref()
    }
    /// The next reception days (接待日) at the station that have not ended, earliest first; at most 3.
    async fn upcoming_reception_days(&self) -> Vec<DeputyCardReceptionDay> {
        self.0.reception_days.iter().cloned().map(DeputyCardReceptionDay).collect()
    }
}

/// A reception day (接待日) as a public card lists it.
pub struct DeputyCardReceptionDay(CardReceptionDay);

/// A reception day (接待日) as a public card lists it.
#[Object]
impl DeputyCardReceptionDay {
    /// The reception day's global ID (the same as `ReceptionDay.id`).
    async fn reception_day_id(&self) -> ID {
        ids::encode(NodeKind::ReceptionDay, self.0.id)
    }
    /// When the station opens for it.
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    /// When it ends.
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    /// What visitors should know (e.g. 请携带相关材料).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Names of the deputies on duty, sorted.
    async fn deputy_names(&self) -> &[String] {
        &self.0.deputies
    }
}

/// A suggestion with a public answer, as the lead deputy's public card lists it.
pub struct PublicSuggestion(PublicWork);

/// A suggestion with a public answer, as the lead deputy's public card lists it.
#[Object]
impl PublicSuggestion {
    /// Title of the suggestion.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Serial number (e.g. 第2次会议第0123号).
    async fn serial(&self) -> &str {
        &self.0.serial
    }
    /// When its latest public answer was given.
    async fn answered_at(&self) -> DateTime<Utc> {
        self.0.answered_at
    }
}

#[derive(Default)]
pub struct QrQuery;

#[Object]
impl QrQuery {
    /// A deputy's public card by the token of their QR code; no login needed. NOT_FOUND for an unknown or
    /// renewed token. Takes the same time whether the token exists or not.
    async fn deputy_by_qr_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token from the deputy's QR code or shared link.")] token: String,
    ) -> ApiResult<DeputyCard> {
        Ok(DeputyCard(card::by_token(&ctx.services()?.store, &token).await?))
    }

    /// A deputy's QR code: for the deputy, staff of the deputy's congress, admins and workers of the
    /// deputy's liaison station.
    async fn deputy_qr_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the deputy.")] deputy_id: ID,
    ) -> ApiResult<DeputyQrCode> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
        let services = ctx.services()?;
        Ok(DeputyQrCode::new(qr::for_viewer(&services.store, actor, id).await?, &services.public_base_url))
    }
}

#[derive(Default)]
pub struct QrMutation;

#[Object]
impl QrMutation {
    /// Gives a deputy a new QR token: printed codes and shared links with the old one stop working at once.
    /// The deputy, staff of the deputy's congress or an admin.
    async fn rotate_deputy_qr_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the deputy whose QR token is renewed.")] deputy_id: ID,
    ) -> ApiResult<DeputyQrCode> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
        let services = ctx.services()?;
        Ok(DeputyQrCode::new(qr::rotate(&services.store, actor, id).await?, &services.public_base_url))
    }
}
