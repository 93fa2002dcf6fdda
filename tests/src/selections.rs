//! Selections (评选) for the authorisation and node tests: a model-deputy selection of A decided by a
//! committee of 张明 alone, still NOMINATING, with 李华 nominated.

use crate::str_of;
use crate::world::{World, ok};
use serde_json::{Value, json};

/// Global IDs of the selection and its candidate.
#[derive(Debug, Clone)]
pub struct SelectionFixture {
    pub selection: String,
    /// 李华, nominated by staff.
    pub candidate: String,
}

/// The mutation that opens a selection, with `$i: OpenSelectionInput!`.
pub const OPEN: &str = "mutation($i: OpenSelectionInput!) { r: openSelection(input: $i) { id state } }";

/// The input of a selection of A.
pub fn open_input(w: &World, kind: &str, method: &str, places: u32, committee: &[&str]) -> Value {
    json!({ "congressId": w.a.congress, "kind": kind, "method": method, "year": year(),
        "title": format!("{kind}评选"), "places": places, "committeeDeputyIds": committee })
}

/// The year selections honour in the tests: this year in China Standard Time, the calendar the archive
/// dates wins by.
pub fn year() -> i32 {
    use chrono::Datelike;
    crate::time::cst_today().year()
}

/// Builds the selection through the API.
pub async fn fixture(app: &crate::TestApp, w: &World) -> SelectionFixture {
    let input = open_input(w, "MODEL_DEPUTY", "COMMITTEE_VOTE", 1, &[&w.a.deputy_id]);
    let opened = ok(app, Some(&w.a.staff), OPEN, json!({ "i": input })).await;
    let selection = str_of(&opened["r"]["id"]).to_owned();
    let nominated = ok(
        app,
        Some(&w.a.staff),
        "mutation($s: ID!, $d: ID!) { r: nominateSelectionCandidate(selectionId: $s, deputyId: $d,
            reason: \"履职突出\") { id } }",
        json!({ "s": selection, "d": w.a_deputy2_id }),
    )
    .await;
    SelectionFixture { selection, candidate: str_of(&nominated["r"]["id"]).to_owned() }
}
