use crate::DomainError;

/// Kinds of places where deputies meet the public. Serialised (e.g. in cached deputy cards) as its
/// [`StationKind::as_str`] name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StationKind {
    /// 代表联络站
    Station,
    /// 代表之家
    Home,
    /// 代表联系点
    ContactPoint,
    /// 基层立法联系点: also collects comments on draft laws.
    LegislativeContactPoint,
}

impl StationKind {
    pub const ALL: [StationKind; 4] = [
        StationKind::Station,
        StationKind::Home,
        StationKind::ContactPoint,
        StationKind::LegislativeContactPoint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StationKind::Station => "STATION",
            StationKind::Home => "HOME",
            StationKind::ContactPoint => "CONTACT_POINT",
            StationKind::LegislativeContactPoint => "LEGISLATIVE_CONTACT_POINT",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("kind", format!("unknown station kind {raw:?}")))
    }
}

/// A WGS-84 position in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    latitude: f64,
    longitude: f64,
}

const EARTH_RADIUS_KM: f64 = 6371.0088;

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
}
