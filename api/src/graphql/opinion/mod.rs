//! Citizens' opinions (社情民意) over GraphQL: the public form (`submitOpinion`), the public status behind a
//! tracking code, one mutation per step of the closed loop, lists scoped to the viewer, monthly counts and
//! the overdue list for staff, and reception records with the station's monthly ledger. Steps take an
//! optional `idempotencyKey`: a retry with the same key returns the first result and does not act twice.

pub mod enums;
pub mod types;

pub use types::{Opinion, OpinionStep, ReceptionRecord};

use crate::auth::ClientAddress;
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::geo::{NearInput, PositionInput, division_code};
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{DeputyKey, StoreLoader};
use crate::graphql::suggestion::Satisfaction;
use crate::graphql::{ContextExt, ids};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Role;
use edaibiao_domain::opinion::{
    self as dom, Command, MatterInput, Month, OpinionInput, RatingInput, ReceptionInput,
};
use edaibiao_domain::suggestion::Sitting;
use edaibiao_infra::opinions::{
    self, OpinionFilter as StoreFilter, OpinionRecord, Rater, Submission, Target, Viewer, tracking,
};
use edaibiao_infra::suggestions::Idempotency;
use enums::{OpinionCategory, OpinionState};
use std::collections::HashMap;
use types::{OpinionMonthlySummary, PublicOpinion, ReceptionLedger, SubmitOpinionPayload};
use uuid::Uuid;

/// The viewer with the facts opinion rules need (a deputy's station, through the per-request loader).
pub(crate) async fn viewer(ctx: &Context<'_>) -> ApiResult<Viewer> {
    let actor = ctx.actor()?.clone();
    let deputy_station_id = match (actor.role, actor.deputy_id) {
        (Role::Deputy, Some(id)) => {
            ctx.loader()?.load_one(DeputyKey(id)).await?.and_then(|d| d.liaison_station_id)
        }
        _ => None,
    };
    Ok(Viewer { actor, deputy_station_id })
}

fn opinion_id(id: &ID) -> ApiResult<Uuid> {
    ids::decode(NodeKind::Opinion, "id", id)
}

fn station_id(id: &ID, field: &'static str) -> ApiResult<Uuid> {
    ids::decode(NodeKind::LiaisonStation, field, id)
}

/// An opinion's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpinionTimelineKey(pub Uuid);

impl Loader<OpinionTimelineKey> for StoreLoader {
    type Value = Vec<opinions::OpinionEvent>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[OpinionTimelineKey],
    ) -> Result<HashMap<OpinionTimelineKey, Vec<opinions::OpinionEvent>>, ApiError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = opinions::timeline(&self.0, &ids).await?;
        Ok(found.into_iter().map(|(id, entries)| (OpinionTimelineKey(id), entries)).collect())
    }
}

/// The opinion a suggestion was turned from, by suggestion id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceOpinionKey(pub Uuid);

impl Loader<SourceOpinionKey> for StoreLoader {
    type Value = OpinionRecord;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[SourceOpinionKey],
    ) -> Result<HashMap<SourceOpinionKey, OpinionRecord>, ApiError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = opinions::by_suggestions(&self.0, &ids).await?;
        Ok(found.into_iter().map(|(id, record)| (SourceOpinionKey(id), record)).collect())
    }
}

/// The citizen's opinion a suggestion was turned from, if the viewer may see it (for `Suggestion`).
pub async fn source_of(ctx: &Context<'_>, suggestion_id: Uuid) -> ApiResult<Option<Opinion>> {
    let Some(record) = ctx.loader()?.load_one(SourceOpinionKey(suggestion_id)).await? else {
        return Ok(None);
    };
    types::view_of(ctx, record).await
}

/// The public form: an opinion addressed to a deputy (through their QR code) or to a liaison station.
#[derive(InputObject)]
pub struct SubmitOpinionInput {
    /// The token of the deputy's QR code (the `{token}` of `/d/{token}`); give this or `stationId`.
    pub qr_token: Option<String>,
    /// The liaison station; give this or `qrToken`.
    pub station_id: Option<ID>,
    /// What it is about.
    pub category: OpinionCategory,
    /// The matter, 1–2,000 characters.
    pub content: String,
    /// Where, up to 200 characters.
    pub location: Option<String>,
    /// Where, as a point: the browser's geolocation (WGS-84) or a place picked on a Chinese map (GCJ-02).
    pub position: Option<PositionInput>,
    /// The district (行政区划代码, six digits) the matter is in; without it, the addressed station's.
    pub division_code: Option<String>,
    /// A name to address the citizen by, up to 50 characters; leave out to stay anonymous.
    pub contact_name: Option<String>,
    /// A mobile number to be called back on; shown in full only to those who must call back.
    pub contact_phone: Option<String>,
    /// A key the form makes once per opinion (8–100 characters): a resend with the same key from the same
    /// client returns the first tracking code and submits nothing more.
    pub idempotency_key: Option<String>,
    /// The appraisal (评议) the opinion is raised for: one of `appraisalsOpenForOpinions` of the same
    /// congress. Staff and the appraisal group then read it with the appraisal.
    pub appraisal_id: Option<ID>,
    /// The version of `privacyNotice` the citizen was shown and agreed to. Required when the form gives a
    /// name, a phone, a place or a position (BAD_USER_INPUT on `privacyConsent` without it, or with an
    /// older version); recorded with what it covered.
    pub privacy_consent: Option<String>,
}

/// Which opinions to list; all given filters must match, within what the viewer may see.
#[derive(InputObject, Default)]
pub struct OpinionFilter {
    /// Any of these states.
    #[graphql(default)]
    pub states: Vec<OpinionState>,
    /// Any of these categories.
    #[graphql(default)]
    pub categories: Vec<OpinionCategory>,
    /// Of this liaison station.
    pub station_id: Option<ID>,
    /// Of this congress.
    pub congress_id: Option<ID>,
    /// Waiting longer than its stage allows (true) or not (false).
    pub overdue: Option<bool>,
    /// Only the viewer's own: a citizen's submitted, anyone else's taken (首问负责).
    #[graphql(default)]
    pub mine: bool,
    /// Only those placed within this circle (for a map); opinions without a position are left out.
    pub near: Option<NearInput>,
    /// Only those in this district (行政区划代码) or any place inside it: `110105` the district, `110100`
    /// the city's districts, `110000` the province.
    pub division_code: Option<String>,
}

impl OpinionFilter {
    fn to_store(&self) -> ApiResult<StoreFilter> {
        Ok(StoreFilter {
            states: self.states.iter().map(|s| (*s).into()).collect(),
            categories: self.categories.iter().map(|c| (*c).into()).collect(),
            station_id: self.station_id.as_ref().map(|id| station_id(id, "stationId")).transpose()?,
            congress_id: ids::decode_opt(NodeKind::Congress, "congressId", self.congress_id.as_ref())?,
            overdue: self.overdue,
            mine: self.mine,
            near: self.near.as_ref().map(NearInput::parse).transpose()?,
            division: division_code("divisionCode", self.division_code.as_deref())?,
        })
    }
}

/// A matter raised at a reception.
#[derive(InputObject)]
pub struct ReceptionMatterInput {
    /// What it is about.
    pub category: OpinionCategory,
    /// The matter, 1–2,000 characters.
    pub content: String,
    /// Where, up to 200 characters (kept with the opinion).
    pub location: Option<String>,
    /// The visitor's name, up to 50 characters.
    pub contact_name: Option<String>,
    /// The visitor's mobile number; only with `makeOpinion`, where it is kept encrypted.
    pub contact_phone: Option<String>,
    /// Turn it into an opinion now, taken by the recorder.
    #[graphql(default)]
    pub make_opinion: bool,
}

/// A reception as recorded at a station.
#[derive(InputObject)]
pub struct RecordReceptionInput {
    /// The station.
    pub station_id: ID,
    /// When the public was received: within the past year, not in the future.
    pub received_at: DateTime<Utc>,
    /// How many people came, 1–1,000.
    pub visitors: i32,
    /// The reception day (接待日) of the station it belongs to, if any.
    pub reception_day_id: Option<ID>,
    /// The matters raised, at most 50.
    #[graphql(default)]
    pub matters: Vec<ReceptionMatterInput>,
}

#[derive(Default)]
pub struct OpinionQuery;

#[Object]
impl OpinionQuery {
    /// Opinions the viewer may see, newest first: a deputy's (addressed to them or their station, or taken
    /// by them), a station worker's station's, a unit's forwarded ones, staff's congress's, a citizen's own.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn opinions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those matching every given filter.")] filter: Option<OpinionFilter>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<Opinion>> {
        let filter = filter.unwrap_or_default().to_store()?;
        list(ctx, filter, first, after).await
    }

    /// The viewer's own opinions, newest first: a citizen's submitted while logged in; for anyone else,
    /// those they took (首问负责).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn my_opinions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<Opinion>> {
        list(ctx, StoreFilter { mine: true, ..Default::default() }, first, after).await
    }

    /// Opinions the viewer may see that have waited longer than their stage allows (RECEIVED 3 days,
    /// ACCEPTED 15, a unit's reply 15, feedback 7), newest first.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn overdue_opinions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<Opinion>> {
        list(ctx, StoreFilter { overdue: Some(true), ..Default::default() }, first, after).await
    }

    /// One opinion, if the viewer may see it.
    async fn opinion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the opinion.")] id: ID,
    ) -> ApiResult<Opinion> {
        let viewer = viewer(ctx).await?;
        let services = ctx.services()?;
        Ok(Opinion(
            opinions::find_for(&services.store, &services.opinions.vault, &viewer, opinion_id(&id)?).await?,
        ))
    }

    /// Public, no login: the privacy notice (个人信息处理告知) a form must show before it takes personal data
    /// for `purpose` (a name, a phone, a place or a position for an opinion; a phone for an SMS code), and
    /// its version, which the submission or code request gives back as `privacyConsent`.
    async fn privacy_notice(
        &self,
        #[graphql(
            desc = "What the form is for (default OPINION).",
            default_with = "types::PrivacyPurpose::Opinion"
        )]
        purpose: types::PrivacyPurpose,
    ) -> types::PrivacyNotice {
        let domain: edaibiao_domain::privacy::PrivacyPurpose = purpose.into();
        types::PrivacyNotice {
            purpose,
            version: edaibiao_domain::privacy::PRIVACY_NOTICE_VERSION,
            text: domain.notice(),
        }
    }

    /// Public, no login: an opinion's status, answer and rating by its tracking code (no personal data),
    /// as the tracking page `/t/{code}` shows it. An unknown code is NOT_FOUND; after twenty of those from
    /// one client address in ten minutes, lookups from it are RATE_LIMITED for the rest of the window.
    async fn opinion_by_tracking_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The tracking code given when the opinion was submitted (any case, dashes optional)."
        )]
        code: String,
    ) -> ApiResult<PublicOpinion> {
        let services = ctx.services()?;
        let address = ctx.data_opt::<ClientAddress>().map_or("unknown", |a| a.0.as_str());
        Ok(PublicOpinion(tracking::open(&services.store, &services.opinions, address, &code).await?))
    }

    /// A congress's opinions of one month (China Standard Time), in all, per station and per category
    /// (汇总). Staff of the congress and admins.
    async fn opinion_monthly_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "The month as `YYYY-MM` (China Standard Time).")] month: String,
    ) -> ApiResult<OpinionMonthlySummary> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let month = Month::parse(&month)?;
        Ok(opinions::monthly_summary(&ctx.services()?.store, actor, congress_id, month).await?.into())
    }

    /// A station's reception records of one month (台账), for its deputies and workers and congress staff.
    async fn reception_ledger(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the liaison station.")] station_id: ID,
        #[graphql(desc = "The month as `YYYY-MM` (China Standard Time).")] month: String,
    ) -> ApiResult<ReceptionLedger> {
        let viewer = viewer(ctx).await?;
        let station = self::station_id(&station_id, "stationId")?;
        let month = Month::parse(&month)?;
        let services = ctx.services()?;
        let entries =
            opinions::reception::ledger(&services.store, &services.opinions, &viewer, station, month).await?;
        Ok(ReceptionLedger {
            station_id: station,
            month: month.to_string(),
            records: entries.into_iter().map(ReceptionRecord).collect(),
        })
    }
}

async fn list(
    ctx: &Context<'_>,
    filter: StoreFilter,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<Conn<Opinion>> {
    let viewer = viewer(ctx).await?;
    let request = page_request(first, after)?;
    let with_total = ctx.look_ahead().field("totalCount").exists();
    let services = ctx.services()?;
    let page =
        opinions::list(&services.store, &services.opinions.vault, &viewer, &filter, request, with_total)
            .await?;
    Ok(connection(page, request, |v| v.opinion.id, Opinion))
}

/// Runs one step of the loop as the viewer.
async fn act(
    ctx: &Context<'_>,
    id: &ID,
    operation: &'static str,
    key: Option<&str>,
    command: Command,
) -> ApiResult<Opinion> {
    let viewer = viewer(ctx).await?;
    let services = ctx.services()?;
    let idempotency = key.map(|key| Idempotency { key, operation });
    let done =
        opinions::act(&services.store, &services.opinions, &viewer, opinion_id(id)?, command, idempotency)
            .await?;
    Ok(Opinion(done))
}

fn public_view(opinion: dom::Opinion) -> PublicOpinion {
    PublicOpinion(opinions::PublicOpinion { opinion, steps: Vec::new() })
}

#[derive(Default)]
pub struct OpinionMutation;

#[Object]
impl OpinionMutation {
    /// Public, no login needed: a citizen raises a matter with a deputy (their QR code's token) or a liaison
    /// station, anonymously or with a contact. Returns the tracking code. Limited per client address and per
    /// phone number (RATE_LIMITED with `retryAfterSeconds`).
    async fn submit_opinion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `SubmitOpinionInput` describes them.")] input: SubmitOpinionInput,
        #[graphql(
            desc = "Optional photos or PDFs (1–9, at most 10 MiB each) as multipart uploads: pictures \
                          lose their EXIF data (a phone's GPS position) before they are stored."
        )]
        files: Option<Vec<async_graphql::Upload>>,
    ) -> ApiResult<SubmitOpinionPayload> {
        let target = match (input.qr_token, &input.station_id) {
            (Some(token), None) => Target::QrToken(token),
            (None, Some(station)) => Target::Station(station_id(station, "stationId")?),
            _ => return Err(ApiError::bad_input("qrToken", "give exactly one of qrToken and stationId")),
        };
        let parsed = OpinionInput::parse(
            input.category.into(),
            &input.content,
            input.location.as_deref(),
            input.contact_name.as_deref(),
            input.contact_phone.as_deref(),
        )?
        .at(
            input.position.as_ref().map(PositionInput::parse).transpose()?,
            division_code("divisionCode", input.division_code.as_deref())?,
        );
        let appraisal = input
            .appraisal_id
            .as_ref()
            .map(|id| ids::decode(NodeKind::Appraisal, "appraisalId", id))
            .transpose()?;
        let address = ctx.data_opt::<ClientAddress>().map_or("unknown", |a| a.0.as_str());
        let services = ctx.services()?;
        let files = match files.filter(|f| !f.is_empty()) {
            Some(files) => {
                let uploads = crate::graphql::attachment::read_uploads(ctx, &files)?;
                edaibiao_infra::files::prepare(&services.store, &services.files.storage, &uploads).await?
            }
            None => Vec::new(),
        };
        let submission = Submission {
            input: parsed,
            target,
            actor: ctx.actor_opt(),
            client_address: address,
            idempotency_key: input.idempotency_key.as_deref(),
            appraisal,
            files,
            privacy_consent: input.privacy_consent.as_deref(),
        };
        let opinion = opinions::submit(&services.store, &services.opinions, submission).await?;
        let code = opinion.tracking_code.as_str().to_owned();
        let status = opinions::by_tracking_code(&services.store, &opinion.tracking_code)
            .await
            .map_or_else(|_| public_view(opinion), PublicOpinion);
        Ok(SubmitOpinionPayload { tracking_code: code, opinion: status })
    }

    /// The citizen rates the outcome once the feedback is given, which closes the opinion: by its tracking
    /// code (no login; an unknown code counts as in `opinionByTrackingCode`), or by its ID as the account
    /// that submitted it.
    async fn rate_opinion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The opinion's tracking code, without login; give this or `id`.")]
        tracking_code: Option<String>,
        #[graphql(
            desc = "Global ID of the opinion, for the account that submitted it; give this or `trackingCode`."
        )]
        id: Option<ID>,
        #[graphql(desc = "How satisfied the citizen is with the outcome.")] satisfaction: Satisfaction,
        #[graphql(desc = "Optional comment on the outcome.")] comment: Option<String>,
    ) -> ApiResult<PublicOpinion> {
        let input = RatingInput::parse(satisfaction.into(), comment.as_deref())?;
        let services = ctx.services()?;
        let store = &services.store;
        let rated = match (tracking_code, id) {
            (Some(code), None) => {
                let address = ctx.data_opt::<ClientAddress>().map_or("unknown", |a| a.0.as_str());
                tracking::rate(store, &services.opinions, address, &code, input).await?
            }
            (None, Some(id)) => {
                let viewer = viewer(ctx).await?;
                opinions::rate(store, Rater::Account(&viewer, opinion_id(&id)?), input).await?
            }
            _ => return Err(ApiError::bad_input("trackingCode", "give exactly one of trackingCode and id")),
        };
        Ok(PublicOpinion(rated))
    }

    /// Take the opinion (受理) and become responsible for it until it is closed (首问负责): the addressed
    /// deputy, deputies and workers of the station it was addressed to, congress staff. The first wins; a
    /// later accept is CONFLICT.
    async fn accept_opinion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the opinion.")] id: ID,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Opinion> {
        act(ctx, &id, "acceptOpinion", idempotency_key.as_deref(), Command::Accept).await
    }

    /// The responsible person resolved it themself, saying how (1–2,000 characters); feedback is due next.
    async fn resolve_opinion_directly(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the opinion.")] id: ID,
        #[graphql(desc = "How it was resolved, 1–2,000 characters.")] note: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Opinion> {
        let command = Command::ResolveDirectly { note: dom::text("note", &note)? };
        act(ctx, &id, "resolveOpinionDirectly", idempotency_key.as_deref(), command).await
    }

    /// The responsible person forwards it to a handling unit of the same congress (转办), which replies.
    async fn forward_opinion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the opinion.")] id: ID,
        #[graphql(desc = "Global ID of the handling unit to forward to, of the opinion's congress.")] unit_id: ID,
        #[graphql(desc = "Optional note for the unit.")] note: Option<String>,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Opinion> {
        let unit_id = ids::decode(NodeKind::HandlingUnit, "unitId", &unit_id)?;
        let note = dom::note("note", note.as_deref())?;
        let unit_congress_id = opinions::unit_congress(&ctx.services()?.store, unit_id).await?;
        let command = Command::Forward { unit_id, unit_congress_id, note };
        act(ctx, &id, "forwardOpinion", idempotency_key.as_deref(), command).await
    }

    /// Staff of the unit it was forwarded to reply to the responsible person (once).
    async fn reply_to_opinion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the opinion.")] id: ID,
        #[graphql(desc = "The unit's reply to the responsible person.")] text: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Opinion> {
        let command = Command::Reply { text: dom::text("text", &text)? };
        act(ctx, &id, "replyToOpinion", idempotency_key.as_deref(), command).await
    }

    /// The responsible deputy turns it into a suggestion draft of theirs, which links back to it. The title
    /// defaults to one made from the content, the sitting to this year's recess.
    async fn convert_opinion_to_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the opinion.")] id: ID,
        #[graphql(desc = "Title of the draft; made from the opinion's content when omitted.")] title: Option<
            String,
        >,
        #[graphql(desc = "Session number of the sitting; omit for the recess (闭会期间).")]
        session_number: Option<i32>,
        #[graphql(desc = "Recess year of the sitting the draft belongs to; this year when omitted.")]
        recess_year: Option<i32>,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Opinion> {
        let viewer = viewer(ctx).await?;
        let sitting = match (session_number, recess_year) {
            (None, None) => None,
            (n, y) => Some(Sitting::parse(n, y)?),
        };
        let services = ctx.services()?;
        let idempotency = idempotency_key
            .as_deref()
            .map(|key| Idempotency { key, operation: "convertOpinionToSuggestion" });
        let done = opinions::convert(
            &services.store,
            &services.opinions,
            &viewer,
            opinion_id(&id)?,
            title,
            sitting,
            idempotency,
        )
        .await?;
        Ok(Opinion(done))
    }

    /// The responsible person gives the citizen the answer (1–2,000 characters); after a forwarding only
    /// once the unit has replied.
    async fn give_opinion_feedback(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the opinion.")] id: ID,
        #[graphql(desc = "The answer for the citizen, 1–2,000 characters.")] text: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Opinion> {
        let command = Command::GiveFeedback { text: dom::text("text", &text)? };
        act(ctx, &id, "giveOpinionFeedback", idempotency_key.as_deref(), command).await
    }

    /// The deputy on duty, a worker of the station, or congress staff record a reception (接待记录); each
    /// matter marked `makeOpinion` becomes an opinion taken at once by the recorder.
    async fn record_reception(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `RecordReceptionInput` describes them.")]
        input: RecordReceptionInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<ReceptionRecord> {
        let viewer = viewer(ctx).await?;
        let station = station_id(&input.station_id, "stationId")?;
        let day = ids::decode_opt(NodeKind::ReceptionDay, "receptionDayId", input.reception_day_id.as_ref())?;
        let matters = input
            .matters
            .iter()
            .map(|m| {
                let opinion = OpinionInput::parse(
                    m.category.into(),
                    &m.content,
                    m.location.as_deref(),
                    m.contact_name.as_deref(),
                    m.contact_phone.as_deref(),
                )?;
                Ok(MatterInput { opinion, make_opinion: m.make_opinion })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let parsed = ReceptionInput::parse(input.received_at, input.visitors, day, matters, Utc::now())?;
        let services = ctx.services()?;
        let idempotency =
            idempotency_key.as_deref().map(|key| Idempotency { key, operation: "recordReception" });
        let entry = opinions::reception::record(
            &services.store,
            &services.opinions,
            &viewer,
            station,
            parsed,
            idempotency,
        )
        .await?;
        Ok(ReceptionRecord(entry))
    }
}

/// Loads a node of an opinion type for `node(id)`: an opinion or a reception record the viewer may see, or
/// a step of an opinion's timeline shown to them there (all steps to those handling it, the public ones to
/// the citizen, with the same masking).
pub async fn node(ctx: &Context<'_>, kind: NodeKind, id: Uuid) -> ApiResult<Option<super::node::Node>> {
    let viewer = viewer(ctx).await?;
    let services = ctx.services()?;
    let not_found = |e: &edaibiao_infra::Error| {
        matches!(e, edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_)))
    };
    let found = match kind {
        NodeKind::Opinion => opinions::find_for(&services.store, &services.opinions.vault, &viewer, id)
            .await
            .map(|v| super::node::Node::Opinion(Box::new(Opinion(v)))),
        NodeKind::ReceptionRecord => {
            opinions::reception::find(&services.store, &services.opinions, &viewer, id)
                .await
                .map(|e| super::node::Node::ReceptionRecord(Box::new(ReceptionRecord(e))))
        }
        NodeKind::OpinionStep => {
            let found = opinions::step_for(&services.store, &services.opinions.vault, &viewer, id).await?;
            return Ok(found.map(|(event, view)| {
                super::node::Node::OpinionStep(Box::new(OpinionStep::new(event, view.sight.handling)))
            }));
        }
        _ => return Ok(None),
    };
    match found {
        Ok(node) => Ok(Some(node)),
        Err(e) if not_found(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
