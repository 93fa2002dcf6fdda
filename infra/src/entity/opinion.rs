use sea_orm::entity::prelude::*;

/// An opinion's current state: the aggregate as JSON (`snapshot`), without the contact phone, which is kept
/// encrypted in `contact_phone_sealed`; the other columns are projections for filtering.
#[derive(Clone, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opinions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tracking_code: String,
    pub congress_id: Uuid,
    pub station_id: Option<Uuid>,
    pub deputy_id: Option<Uuid>,
    pub source: String,
    pub category: String,
    pub state: String,
    pub version: i32,
    pub submitter_account_id: Option<Uuid>,
    pub responsible_account_id: Option<Uuid>,
    pub forwarded_unit_id: Option<Uuid>,
    pub suggestion_id: Option<Uuid>,
    pub unit_replied: bool,
    pub satisfaction: Option<String>,
    pub waiting_on: Option<String>,
    pub waiting_since: Option<DateTimeUtc>,
    /// The contact phone, encrypted (AES-256-GCM, see `vault::Vault`).
    pub contact_phone_sealed: Option<String>,
    pub contact_phone_masked: Option<String>,
    /// A keyed digest of the phone (HMAC-SHA-256), for per-phone limits without the number.
    pub contact_phone_digest: Option<String>,
    pub snapshot: String,
    pub created_at: DateTimeUtc,
    pub feedback_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    /// When it was first accepted (kept by `opinions::record::append` from its events).
    pub accepted_at: Option<DateTimeUtc>,
    /// When the contact details were erased (`opinions::erasure`); `None` while they may be kept.
    pub contact_erased_at: Option<DateTimeUtc>,
    /// Where, WGS-84 (a projection of the aggregate's position, for map queries).
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// 行政区划代码 (a projection of the aggregate's).
    pub division_code: Option<String>,
}

/// Debug leaves out the snapshot and the sealed phone, so a logged row shows no personal data.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("opinion::Model")
            .field("id", &self.id)
            .field("state", &self.state)
            .field("version", &self.version)
            .field("contact_phone_masked", &self.contact_phone_masked)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
