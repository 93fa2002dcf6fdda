use super::enums::StationKind;
use super::{Congress, required};
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::ApiResult;
use crate::graphql::geo::{GeoPoint, division_code, gcj02_of};
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{CongressKey, LiaisonStationKey};
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use edaibiao_domain::directory::StationDraft;
use edaibiao_domain::geo::{Coordinates, parse_radius_km};
use edaibiao_infra::directory::stations;

/// A place where deputies meet the public: liaison station (联络站), home (代表之家) or contact point.
pub struct LiaisonStation(pub stations::LiaisonStation);

/// A place where deputies meet the public: liaison station (联络站), home (代表之家) or contact point.
#[Object]
impl LiaisonStation {
    /// Global ID.
    pub async fn id(&self) -> ID {
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
    /// The same point in GCJ-02, for AMap and Tencent Maps, if known.
    async fn gcj02(&self) -> Option<GeoPoint> {
        gcj02_of(self.0.latitude, self.0.longitude)
    }
    /// The district it is in (行政区划代码), if set: opinions addressed here are placed there unless they say.
    async fn division_code(&self) -> Option<&str> {
        self.0.division_code.as_deref()
    }
    /// Opening hours as published (e.g. 周一至周五 9:00-17:00).
    async fn opening_hours(&self) -> Option<&str> {
        self.0.opening_hours.as_deref()
    }
    /// The congress the station belongs to.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Congress> {
        let found = ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?;
        required(found, "congress").map(Congress)
    }
    /// The next reception days (接待日) that are not cancelled and have not ended, earliest first;
    /// `first` 1–20, default 3.
    #[graphql(complexity = "first.unwrap_or(3).clamp(0, 20) as usize * child_complexity")]
    async fn upcoming_reception_days(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many days to return, 1–20 (default 3).")] first: Option<i32>,
    ) -> ApiResult<Vec<super::ReceptionDay>> {
        super::reception::upcoming(ctx, self.0.id, first).await
    }
}

/// A station and how far it is from the searched point.
#[derive(SimpleObject)]
pub struct NearbyStation {
    /// The station found.
    pub station: LiaisonStation,
    /// Great-circle distance in kilometres.
    pub distance_km: f64,
}

/// A station as staff enter it. Saving replaces all fields.
#[derive(InputObject)]
pub struct LiaisonStationInput {
    /// Name, 1–100 characters.
    pub name: String,
    /// Kind of place.
    pub kind: StationKind,
    /// Street address, 1–200 characters.
    pub address: String,
    /// WGS-84 latitude in degrees; latitude and longitude are given together or not at all.
    pub latitude: Option<f64>,
    /// WGS-84 longitude in degrees.
    pub longitude: Option<f64>,
    /// Up to 200 characters.
    pub opening_hours: Option<String>,
    /// The district it is in: a six-digit administrative-division code (行政区划代码) like 110105.
    pub division_code: Option<String>,
}

impl LiaisonStationInput {
    fn draft(&self) -> ApiResult<StationDraft> {
        let position = match (self.latitude, self.longitude) {
            (Some(lat), Some(lon)) => Some((lat, lon)),
            (None, None) => None,
            _ => {
                return Err(crate::graphql::error::ApiError::bad_input(
                    "latitude",
                    "give latitude and longitude together",
                ));
            }
        };
        Ok(StationDraft::parse(
            &self.name,
            self.kind.into(),
            &self.address,
            position,
            self.opening_hours.as_deref(),
        )?
        .in_division(division_code("divisionCode", self.division_code.as_deref())?))
    }
}

#[derive(Default)]
pub struct StationQuery;

#[Object]
impl StationQuery {
    /// Stations, optionally of one congress and kind.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn liaison_stations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those of this congress (its global ID).")] congress_id: Option<ID>,
        #[graphql(desc = "Only stations of this kind.")] kind: Option<StationKind>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<LiaisonStation>> {
        let request = page_request(first, after)?;
        let congress_id = ids::decode_opt(NodeKind::Congress, "congressId", congress_id.as_ref())?;
        let page = stations::list(&ctx.services()?.store, congress_id, kind.map(Into::into), request).await?;
        Ok(connection(page, request, |m| m.id, LiaisonStation))
    }

    /// One station.
    async fn liaison_station(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the liaison station.")] id: ID,
    ) -> ApiResult<Option<LiaisonStation>> {
        let id = ids::decode(NodeKind::LiaisonStation, "id", &id)?;
        Ok(ctx.loader()?.load_one(LiaisonStationKey(id)).await?.map(LiaisonStation))
    }

    /// Stations within `radiusKm` (default 5, at most 100) of a point, nearest first, at most `first`
    /// (default 10, at most 50).
    #[graphql(complexity = "first.unwrap_or(10).clamp(0, 50) as usize * child_complexity")]
    async fn stations_near(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "WGS-84 latitude of the point, in degrees.")] latitude: f64,
        #[graphql(desc = "WGS-84 longitude of the point, in degrees.")] longitude: f64,
        #[graphql(desc = "Search radius in kilometres, at most 100 (default 5).")] radius_km: Option<f64>,
        #[graphql(desc = "Only stations of this kind.")] kind: Option<StationKind>,
        #[graphql(desc = "How many stations to return, 1–50 (default 10).")] first: Option<i32>,
    ) -> ApiResult<Vec<NearbyStation>> {
        let centre = Coordinates::parse(latitude, longitude)?;
        let radius = parse_radius_km(radius_km.unwrap_or(5.0))?;
        let limit = u64::try_from(first.unwrap_or(10).clamp(1, 50)).unwrap_or(10);
        let found =
            stations::near(&ctx.services()?.store, centre, radius, kind.map(Into::into), limit).await?;
        Ok(found
            .into_iter()
            .map(|(s, d)| NearbyStation { station: LiaisonStation(s), distance_km: d })
            .collect())
    }
}

#[derive(Default)]
pub struct StationMutation;

#[Object]
impl StationMutation {
    /// Adds a station to a congress. Staff of that congress or an admin.
    async fn create_liaison_station(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress to add the station to.")] congress_id: ID,
        #[graphql(desc = "The details, as `LiaisonStationInput` describes them.")] input: LiaisonStationInput,
    ) -> ApiResult<LiaisonStation> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        Ok(LiaisonStation(
            stations::create(&ctx.services()?.store, actor, congress_id, input.draft()?).await?,
        ))
    }

    /// Replaces a station's details.
    async fn update_liaison_station(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the liaison station.")] id: ID,
        #[graphql(desc = "The details, as `LiaisonStationInput` describes them.")] input: LiaisonStationInput,
    ) -> ApiResult<LiaisonStation> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::LiaisonStation, "id", &id)?;
        Ok(LiaisonStation(stations::update(&ctx.services()?.store, actor, id, input.draft()?).await?))
    }
}
