//! Places in the schema: points in WGS-84 and GCJ-02, "near here" for a map, and administrative-division
//! codes. The rules (ranges, the datum conversion, what a code contains) are `domain::geo`'s.

use crate::graphql::error::ApiResult;
use async_graphql::{Enum, InputObject, SimpleObject};
use edaibiao_domain::geo::{self as dom, Circle, Coordinates, DivisionCode, parse_radius_km};

/// The datum of a pair of coordinates.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
#[graphql(remote = "edaibiao_domain::geo::GeoDatum")]
pub enum GeoDatum {
    /// WGS-84: GPS, the browser's geolocation, OpenStreetMap.
    #[default]
    #[graphql(name = "WGS84")]
    Wgs84,
    /// GCJ-02 (国测局坐标): AMap, Tencent Maps, WeChat's location picker.
    #[graphql(name = "GCJ02")]
    Gcj02,
}

/// A point given by a client.
#[derive(InputObject, Clone, Copy, Debug)]
pub struct PositionInput {
    /// Latitude in degrees, -90 to 90.
    pub latitude: f64,
    /// Longitude in degrees, -180 to 180.
    pub longitude: f64,
    /// The datum the client's map or sensor gives; stored as WGS-84 either way.
    #[graphql(default)]
    pub datum: GeoDatum,
}

impl PositionInput {
    pub fn parse(&self) -> ApiResult<Coordinates> {
        Ok(Coordinates::parse_in(self.latitude, self.longitude, self.datum.into())?)
    }
}

/// "Within this distance of a point", for a map.
#[derive(InputObject, Clone, Copy, Debug)]
pub struct NearInput {
    /// Latitude of the centre in degrees.
    pub latitude: f64,
    /// Longitude of the centre in degrees.
    pub longitude: f64,
    /// The datum of the centre.
    #[graphql(default)]
    pub datum: GeoDatum,
    /// The radius in kilometres: more than 0, at most 100.
    pub radius_km: f64,
}

impl NearInput {
    pub fn parse(&self) -> ApiResult<Circle> {
        let centre = Coordinates::parse_in(self.latitude, self.longitude, self.datum.into())?;
        Ok(Circle { centre, radius_km: parse_radius_km(self.radius_km)? })
    }
}

/// A latitude and longitude in degrees.
#[derive(SimpleObject, Clone, Copy, Debug)]
pub struct GeoPoint {
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
}

/// A point as stored (WGS-84), and the same point in GCJ-02 for the Chinese map SDKs (unchanged outside
/// mainland China).
#[derive(SimpleObject, Clone, Copy, Debug)]
pub struct Position {
    /// WGS-84 latitude in degrees.
    pub latitude: f64,
    /// WGS-84 longitude in degrees.
    pub longitude: f64,
    /// The same point in GCJ-02, for AMap and Tencent Maps.
    pub gcj02: GeoPoint,
}

impl From<Coordinates> for Position {
    fn from(c: Coordinates) -> Self {
        let (latitude, longitude) = c.gcj02();
        Self { latitude: c.latitude(), longitude: c.longitude(), gcj02: GeoPoint { latitude, longitude } }
    }
}

/// Reads an administrative-division code (行政区划代码) given as `field`.
pub fn division_code(field: &'static str, raw: Option<&str>) -> ApiResult<Option<DivisionCode>> {
    Ok(raw.map(|r| DivisionCode::parse(field, r)).transpose()?)
}

/// The GCJ-02 point of stored WGS-84 coordinates, when both are there and valid.
pub fn gcj02_of(latitude: Option<f64>, longitude: Option<f64>) -> Option<GeoPoint> {
    let c = dom::Coordinates::parse(latitude?, longitude?).ok()?;
    let (latitude, longitude) = c.gcj02();
    Some(GeoPoint { latitude, longitude })
}
