//! The people and places of the demo data (see `infra::seed`), looked up once at the start of a test.

use crate::{TestApp, demo, id_in, id_ref, str_of};
use serde_json::{Value, json};

/// Access tokens of the demo accounts and global IDs of the demo records.
#[derive(Debug, Clone)]
pub struct Cast {
    pub admin: String,
    /// Staff of the city congress.
    pub staff: String,
    /// 张明, a deputy of the city congress, and his profile.
    pub zhang: String,
    pub zhang_id: String,
    /// 李华, a deputy of the same station as 张明, and his profile.
    pub li: String,
    pub li_id: String,
    /// The profile of 王芳, a deputy without a login.
    pub wang_id: String,
    /// Staff of 市交通运输局.
    pub unit: String,
    /// A worker of 东城街道人大代表联络站.
    pub station: String,
    pub citizen: String,
    /// 示例市第十七届人民代表大会.
    pub congress: String,
    /// Handling units: 市交通运输局, 市教育局, 市卫生健康委员会, 市住房和城乡建设局.
    pub transport: String,
    pub education: String,
    pub health: String,
    pub housing: String,
    /// Liaison stations: 东城街道人大代表联络站 and 西城区代表之家.
    pub east: String,
    pub west: String,
    /// Every congress, deputy, handling unit and liaison station, for `id`.
    names: Value,
}

impl Cast {
    /// Logs the demo accounts in and looks the demo records up.
    pub async fn of(app: &TestApp) -> Self {
        let res = app
            .gql(
                "{ congresses(first: 10) { nodes { id name } } deputies(first: 100) { nodes { id name } } \
                   handlingUnits(first: 100) { nodes { id name } } liaisonStations(first: 100) { nodes { id name } } }",
                json!({}),
                None,
            )
            .await;
        let names = res.data().clone();
        let id = |list: &str, name: &str| id_in(&names, list, name);
        Self {
            admin: app.login(demo::ADMIN).await.access,
            staff: app.login(demo::STAFF).await.access,
            zhang: app.login(demo::DEPUTY).await.access,
            zhang_id: id("deputies", "张明"),
            li: app.login(demo::DEPUTY2).await.access,
            li_id: id("deputies", "李华"),
            wang_id: id("deputies", "王芳"),
            unit: app.login(demo::UNIT_STAFF).await.access,
            station: app.login(demo::STATION_STAFF).await.access,
            citizen: app.login(demo::CITIZEN).await.access,
            congress: id("congresses", "示例市第十七届人民代表大会"),
            transport: id("handlingUnits", "市交通运输局"),
            education: id("handlingUnits", "市教育局"),
            health: id("handlingUnits", "市卫生健康委员会"),
            housing: id("handlingUnits", "市住房和城乡建设局"),
            east: id("liaisonStations", "东城街道人大代表联络站"),
            west: id("liaisonStations", "西城区代表之家"),
            names,
        }
    }

    /// The global ID of the record named `name` in `list` (`deputies`, `handlingUnits`, …).
    pub fn id(&self, list: &str, name: &str) -> &str {
        id_ref(&self.names, list, name)
    }

    /// The global ID of the deputy named `name`.
    pub fn deputy(&self, name: &str) -> &str {
        self.id("deputies", name)
    }

    /// The token of 张明's QR code, as he asks for it.
    pub async fn zhang_qr(&self, app: &TestApp) -> String {
        let res = app
            .gql(
                "query($d: ID!) { deputyQrCode(deputyId: $d) { token } }",
                json!({ "d": self.zhang_id }),
                Some(&self.zhang),
            )
            .await;
        str_of(&res.data()["deputyQrCode"]["token"]).to_owned()
    }
}
