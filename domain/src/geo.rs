//! Where something is. [`Coordinates`] are kept as GPS and the browser give them (WGS-84) and offered also
//! in GCJ-02, the datum the Chinese map SDKs (AMap, Tencent) draw in; the conversion is the
//! `coordtransform` crate's (the published algorithm, applied only inside mainland China as the SDKs do,
//! with a refined inverse). A [`BoundingBox`] narrows a radius search for an index, a [`Circle`] is a map
//! query's "near here", and a [`DivisionCode`] is the administrative-division code (行政区划代码, GB/T 2260)
//! of a station or an opinion, for "inside this district".

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

vocabulary!(
    /// The datum of a pair of coordinates.
    GeoDatum {
        /// WGS-84: GPS, the browser's geolocation, OpenStreetMap, Open311.
        Wgs84 = "WGS84",
        /// GCJ-02 (国测局坐标): AMap, Tencent Maps, WeChat's location picker.
        Gcj02 = "GCJ02",
    }
);

/// A point on the earth in WGS-84 degrees, checked: finite, latitude within ±90, longitude within ±180.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    latitude: f64,
    longitude: f64,
}

/// Coordinates are finite by construction (never NaN), so equality is an equivalence.
impl Eq for Coordinates {}

/// The mean earth radius (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Kilometres per degree of latitude (and of longitude at the equator).
const KM_PER_DEGREE: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

impl Coordinates {
    pub fn parse(latitude: f64, longitude: f64) -> Result<Self, DomainError> {
        if !latitude.is_finite() || !(-90.0..=90.0).contains(&latitude) {
            return Err(DomainError::invalid("latitude", "must be between -90 and 90"));
        }
        if !longitude.is_finite() || !(-180.0..=180.0).contains(&longitude) {
            return Err(DomainError::invalid("longitude", "must be between -180 and 180"));
        }
        Ok(Self { latitude, longitude })
    }

    /// Reads coordinates given in `datum` (a GCJ-02 pair from a Chinese map is converted to WGS-84).
    pub fn parse_in(latitude: f64, longitude: f64, datum: GeoDatum) -> Result<Self, DomainError> {
        let checked = Self::parse(latitude, longitude)?;
        Ok(match datum {
            GeoDatum::Wgs84 => checked,
            GeoDatum::Gcj02 => {
                let (longitude, latitude) = coordtransform::gcj02_to_wgs84(longitude, latitude);
                Self { latitude, longitude }
            }
        })
    }

    /// The same point in GCJ-02, as `(latitude, longitude)`; unchanged outside mainland China.
    pub fn gcj02(self) -> (f64, f64) {
        let (longitude, latitude) = coordtransform::wgs84_to_gcj02(self.longitude, self.latitude);
        (latitude, longitude)
    }

    pub fn latitude(self) -> f64 {
        self.latitude
    }

    pub fn longitude(self) -> f64 {
        self.longitude
    }

    /// Great-circle distance in kilometres (haversine).
    pub fn distance_km(self, other: Coordinates) -> f64 {
        let (lat1, lat2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.longitude - self.longitude).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }

    /// A latitude/longitude box that contains every point within `radius_km`, so that a database can
    /// narrow the candidates with plain range conditions before the exact distance is computed. Near the
    /// antimeridian the longitudes wrap, so the box may need two longitude ranges.
    pub fn bounding_box(self, radius_km: f64) -> BoundingBox {
        let dlat = (radius_km / EARTH_RADIUS_KM).to_degrees();
        let min_lat = self.latitude - dlat;
        let max_lat = self.latitude + dlat;
        let cos_lat = self.latitude.to_radians().cos();
        // A circle that reaches a pole covers every longitude.
        if min_lat <= -90.0 || max_lat >= 90.0 || cos_lat < 1e-6 {
            return BoundingBox {
                min_lat: min_lat.max(-90.0),
                max_lat: max_lat.min(90.0),
                longitudes: vec![(-180.0, 180.0)],
            };
        }
        let dlon = (dlat / cos_lat).min(180.0);
        let (west, east) = (self.longitude - dlon, self.longitude + dlon);
        let longitudes = if west < -180.0 {
            vec![(west + 360.0, 180.0), (-180.0, east)]
        } else if east > 180.0 {
            vec![(west, 180.0), (-180.0, east - 360.0)]
        } else {
            vec![(west, east)]
        };
        BoundingBox { min_lat, max_lat, longitudes }
    }
}

/// The candidates' area for a radius search: one latitude range and one or two longitude ranges.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundingBox {
    pub min_lat: f64,
    pub max_lat: f64,
    /// `(west, east)` pairs, each with west ≤ east.
    pub longitudes: Vec<(f64, f64)>,
}

impl BoundingBox {
    pub fn contains(&self, p: Coordinates) -> bool {
        (self.min_lat..=self.max_lat).contains(&p.latitude)
            && self.longitudes.iter().any(|(w, e)| (*w..=*e).contains(&p.longitude))
    }
}

/// A search radius: more than 0 and at most 100 km.
pub fn parse_radius_km(raw: f64) -> Result<f64, DomainError> {
    if raw.is_finite() && raw > 0.0 && raw <= 100.0 {
        Ok(raw)
    } else {
        Err(DomainError::invalid("radiusKm", "must be more than 0 and at most 100"))
    }
}

/// "Within `radius_km` of `centre`", for a map's list of opinions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circle {
    pub centre: Coordinates,
    pub radius_km: f64,
}

impl Circle {
    /// Kilometres per degree of longitude at the centre's latitude (at least a metre, near the poles).
    fn km_per_degree_longitude(&self) -> f64 {
        (KM_PER_DEGREE * self.centre.latitude.to_radians().cos()).max(0.001)
    }

    /// Kilometres per degree of latitude and of longitude at the centre: the factors of
    /// [`Circle::contains`], which storage computes with arithmetic alone (SQLite has no trigonometry).
    pub fn scale(&self) -> (f64, f64) {
        (KM_PER_DEGREE, self.km_per_degree_longitude())
    }

    /// Whether `p` is inside, by the equirectangular approximation: within 0.5 % of the great-circle
    /// distance at 100 km in China's latitudes. Differences of longitude are not wrapped: a circle across
    /// the antimeridian misses the far side (no congress of ours is there).
    pub fn contains(&self, p: Coordinates) -> bool {
        let (ky, kx) = self.scale();
        let dy = (p.latitude - self.centre.latitude) * ky;
        let dx = (p.longitude - self.centre.longitude) * kx;
        dx * dx + dy * dy <= self.radius_km * self.radius_km
    }
}

/// An administrative-division code (行政区划代码, GB/T 2260): six digits, two each for the province, the
/// prefecture-level city and the county-level district; `00` closes a level (`110000` Beijing, `110100`
/// its districts, `110105` Chaoyang).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DivisionCode(String);

impl DivisionCode {
    /// Six digits, a province from 11 to 82, and no level after a closed one (`110005` is not a code).
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let raw = raw.trim();
        let refuse =
            || DomainError::invalid(field, "must be a six-digit administrative-division code like 110105");
        if raw.len() != 6 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(refuse());
        }
        let province: u8 = raw[..2].parse().map_err(|_| refuse())?;
        if !(11..=82).contains(&province) || (&raw[2..4] == "00" && &raw[4..] != "00") {
            return Err(refuse());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits that name it and every place inside it: `11` for a province, `1101` for a city, all six
    /// for a district.
    pub fn prefix(&self) -> &str {
        let s = self.0.as_str();
        if s.ends_with("0000") {
            &s[..2]
        } else if s.ends_with("00") {
            &s[..4]
        } else {
            s
        }
    }

    /// Whether `other` is this place or inside it.
    pub fn contains(&self, other: &DivisionCode) -> bool {
        other.0.starts_with(self.prefix())
    }
}

impl fmt::Debug for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DivisionCode({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64) -> Coordinates {
        Coordinates::parse(lat, lon).unwrap()
    }

    #[test]
    fn refuses_out_of_range_coordinates() {
        assert!(Coordinates::parse(91.0, 0.0).is_err());
        assert!(Coordinates::parse(0.0, -181.0).is_err());
        assert!(Coordinates::parse(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn distance_matches_known_cities() {
        // Tiananmen to Shanghai People's Square: about 1,067 km.
        let d = at(39.9087, 116.3975).distance_km(at(31.2304, 121.4737));
        assert!((d - 1067.0).abs() < 10.0, "{d}");
        assert!(at(30.0, 120.0).distance_km(at(30.0, 120.0)) < 1e-9);
    }

    #[test]
    fn bounding_box_wraps_at_the_antimeridian() {
        let east = at(0.0, 179.99);
        let west = at(0.0, -179.99);
        assert!(east.distance_km(west) < 3.0);
        assert!(east.bounding_box(5.0).contains(west));
        assert!(west.bounding_box(5.0).contains(east));
        assert!(!east.bounding_box(5.0).contains(at(0.0, 0.0)));
        assert!(at(89.99, 10.0).bounding_box(5.0).contains(at(89.99, -170.0)));
    }

    #[test]
    fn bounding_box_contains_the_circle() {
        let centre = at(30.25, 120.16);
        let bbox = centre.bounding_box(5.0);
        for bearing in 0..36 {
            let angle = f64::from(bearing) * 10f64.to_radians();
            // A point just inside 5 km in this direction.
            let lat = 30.25 + 4.99 / 111.195 * angle.cos();
            let lon = 120.16 + 4.99 / (111.195 * 30.25f64.to_radians().cos()) * angle.sin();
            let p = at(lat, lon);
            assert!(centre.distance_km(p) <= 5.0);
            assert!(bbox.contains(p));
        }
    }

    #[test]
    fn radius_is_bounded() {
        assert!(parse_radius_km(0.0).is_err());
        assert!(parse_radius_km(5.0).is_ok());
        assert!(parse_radius_km(101.0).is_err());
    }

    fn close(a: (f64, f64), b: (f64, f64), degrees: f64) -> bool {
        (a.0 - b.0).abs() < degrees && (a.1 - b.1).abs() < degrees
    }

    #[test]
    fn gcj02_matches_known_points() {
        // Beijing railway station as surveyed in both datums (geoChina's reference point).
        let station = at(39.90105, 116.42079);
        assert!(close(station.gcj02(), (39.90245, 116.42703), 1e-5), "{:?}", station.gcj02());
        // Tiananmen, the published algorithm's own figures (coordtransform's example).
        assert!(close(at(39.915, 116.404).gcj02(), (39.91640428150164, 116.41024449916938), 1e-9));
        // The offset is a few hundred metres inside the mainland, never zero.
        let shift = at(39.90245, 116.42703).distance_km(station);
        assert!((0.3..0.7).contains(&shift), "{shift}");
    }

    #[test]
    fn gcj02_input_comes_back_to_wgs84_and_outside_china_nothing_moves() {
        let wgs = at(31.2304, 121.4737);
        let (lat, lon) = wgs.gcj02();
        let back = Coordinates::parse_in(lat, lon, GeoDatum::Gcj02).unwrap();
        assert!(back.distance_km(wgs) < 1e-5, "{}", back.distance_km(wgs));
        assert_ne!(Coordinates::parse_in(lat, lon, GeoDatum::Wgs84).unwrap(), back, "the datum matters");
        for (lat, lon) in [(22.3193, 114.1694), (37.5665, 126.9780), (51.5072, -0.1276), (-33.8688, 151.2093)]
        {
            assert_eq!(at(lat, lon).gcj02(), (lat, lon), "Hong Kong, Seoul, London and Sydney keep WGS-84");
        }
        assert!(Coordinates::parse_in(91.0, 0.0, GeoDatum::Gcj02).is_err());
    }

    #[test]
    fn a_circle_agrees_with_the_great_circle() {
        let centre = at(39.9042, 116.4074);
        let circle = Circle { centre, radius_km: 1.0 };
        let bbox = centre.bounding_box(1.0);
        for (dlat, dlon, inside) in
            [(0.0089, 0.0, true), (0.0091, 0.0, false), (0.0, 0.0116, true), (0.0, 0.0119, false)]
        {
            let p = at(centre.latitude() + dlat, centre.longitude() + dlon);
            assert_eq!(circle.contains(p), inside, "{dlat} {dlon}");
            assert_eq!(p.distance_km(centre) <= 1.0, inside, "the approximation agrees");
            assert!(!inside || bbox.contains(p));
        }
    }

    #[test]
    fn division_codes_nest() {
        let beijing = DivisionCode::parse("d", "110000").unwrap();
        let city = DivisionCode::parse("d", "110100").unwrap();
        let chaoyang = DivisionCode::parse("d", " 110105 ").unwrap();
        let shanghai = DivisionCode::parse("d", "310101").unwrap();
        assert_eq!((beijing.prefix(), city.prefix(), chaoyang.prefix()), ("11", "1101", "110105"));
        assert!(beijing.contains(&chaoyang) && city.contains(&chaoyang) && chaoyang.contains(&chaoyang));
        assert!(!chaoyang.contains(&city) && !beijing.contains(&shanghai));
        for bad in ["11010", "1101055", "11010a", "990101", "100101", "110005", "", "１１０１０５"] {
            assert!(DivisionCode::parse("divisionCode", bad).is_err(), "{bad}");
        }
    }
}
