//! Statistics exports end to end: `GET /exports/{name}.csv|.xlsx` as the congress's staff, read back with
//! a CSV parser and an XLSX reader and compared cell by cell with the GraphQL query's rows; and the
//! refusals (no token, a unit, another congress's staff, an unknown name, a missing filter).

use crate::statistics::{World, opinions, seed, suggestions, world};
use calamine::{Data, Reader, Xlsx};
use edaibiao_tests::{TestApp, e2e};
use serde_json::{Value, json};

/// The GraphQL fields behind the export's columns, in order (the last column is the group's key).
const SUGGESTION_COLUMNS: [&str; 31] = [
    "label",
    "suggestions",
    "proposed",
    "assigned",
    "handled",
    "answered",
    "rated",
    "withdrawn",
    "answeringParts",
    "answers",
    "answerRate",
    "onTimeAnswers",
    "onTimeRate",
    "classA",
    "classB",
    "classC",
    "classD",
    "classAShare",
    "classBShare",
    "classCShare",
    "classDShare",
    "ratedAnswers",
    "satisfied",
    "basicallySatisfied",
    "satisfactionRate",
    "resultRated",
    "resultSatisfied",
    "resultSatisfiedRate",
    "overdue",
    "contactedAnswers",
    "contactRate",
];

const OPINION_COLUMNS: [&str; 12] = [
    "label",
    "received",
    "accepted",
    "resolvedDirectly",
    "forwarded",
    "converted",
    "closed",
    "withFeedback",
    "meanDaysToFeedback",
    "rated",
    "satisfied",
    "satisfactionRate",
];

const DEPUTY_COLUMNS: [&str; 12] = [
    "name",
    "points",
    "congressRank",
    "present",
    "excused",
    "absent",
    "attendanceRate",
    "suggestionsLed",
    "suggestionsCoSigned",
    "opinionsReceived",
    "opinionsClosed",
    "receptionsServed",
];

/// A download: status, headers we check, body.
struct Download {
    status: u16,
    content_type: String,
    disposition: String,
    body: Vec<u8>,
}

async fn download(app: &TestApp, path: &str, token: Option<&str>) -> Download {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    let mut response = request.send().await.unwrap_or_else(|e| panic!("GET {path} failed: {e}"));
    let header = |name: &str| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let status = response.status().as_u16();
    let body = response.body().limit(16 * 1024 * 1024).await.expect("no body").to_vec();
    Download { status, content_type, disposition, body }
}

/// A cell as the GraphQL value it must equal: text, a number, or null for an empty cell.
fn csv_cells(body: &[u8]) -> (Vec<String>, Vec<Vec<Value>>) {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").expect("CSV without a byte order mark");
    let mut reader = csv::Reader::from_reader(body);
    let header = reader.headers().expect("no header").iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| {
            r.expect("bad CSV")
                .iter()
                .map(|cell| match cell.parse::<f64>() {
                    Ok(x) => json!(x),
                    Err(_) if cell.is_empty() => Value::Null,
                    Err(_) => json!(cell),
                })
                .collect()
        })
        .collect();
    (header, rows)
}

fn xlsx_cells(body: &[u8]) -> (Vec<String>, Vec<Vec<Value>>) {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(body.to_vec())).expect("not an XLSX file");
    let sheet = book.worksheet_range_at(0).expect("no sheet").expect("unreadable sheet");
    let mut rows = sheet.rows();
    let header = rows
        .next()
        .unwrap_or_default()
        .iter()
        .map(|c| match c {
            Data::String(s) => s.clone(),
            other => panic!("header cell is not text: {other:?}"),
        })
        .collect();
    let rows = rows
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Float(x) => json!(x),
                    Data::Int(n) => json!(*n as f64),
                    Data::String(s) if s.is_empty() => Value::Null,
                    Data::String(s) => json!(s),
                    Data::Empty => Value::Null,
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect();
    (header, rows)
}

/// Each exported row equals the GraphQL row: labels exactly, numbers to the last digit, nulls as empty cells.
fn assert_same(rows: &[Vec<Value>], gql_rows: &[Value], columns: &[&str]) {
    assert_eq!(rows.len(), gql_rows.len(), "rows: {rows:?}");
    for (row, expected) in rows.iter().zip(gql_rows) {
        for (i, field) in columns.iter().enumerate() {
            let (got, want) = (&row[i], &expected[*field]);
            match (got.as_f64(), want.as_f64()) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-12, "{field}: {got} vs {want}"),
                _ => assert_eq!(got, want, "{field} of {expected}"),
            }
        }
    }
}

/// The GraphQL rows followed by the total row.
fn with_total(table: &Value) -> Vec<Value> {
    let mut rows = table["rows"].as_array().cloned().unwrap_or_default();
    rows.push(table["total"].clone());
    rows
}

fn suggestion_path(w: &World, ext: &str, group_by: &str) -> String {
    format!(
        "/exports/suggestion-statistics.{ext}?congressId={}&year={}&groupBy={group_by}",
        w.congress, w.year
    )
}

e2e!(exports_match_the_queries_in_csv_and_xlsx, |app| {
    let w = world(&app).await;
    seed(&app, &w).await;

    let table = suggestions(&app, &w, &w.staff, "UNIT").await.data()["s"].clone();
    let expected = with_total(&table);
    assert_eq!(expected.len(), 3);

    let csv = download(&app, &suggestion_path(&w, "csv", "UNIT"), Some(&w.staff)).await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    assert!(
        csv.disposition.starts_with(&format!(
            "attachment; filename=\"suggestion-statistics-{}-unit.csv\"; filename*=UTF-8''",
            w.year
        )),
        "{}",
        csv.disposition
    );
    // 建议办理统计 percent-encoded in filename*.
    assert!(csv.disposition.contains("%E5%BB%BA%E8%AE%AE"), "{}", csv.disposition);
    let (header, rows) = csv_cells(&csv.body);
    assert_eq!(header.len(), 32);
    assert_eq!((header[0].as_str(), header[1].as_str(), header[10].as_str()), ("分组", "建议数", "答复率"));
    assert_same(&rows, &expected, &SUGGESTION_COLUMNS);
    assert_eq!((header[29].as_str(), header[30].as_str()), ("沟通后答复", "沟通率"));
    assert_eq!(rows[0][31], json!(w.transport), "the last column is the group's ID");

    let xlsx = download(&app, &suggestion_path(&w, "xlsx", "UNIT"), Some(&w.staff)).await;
    assert_eq!(xlsx.status, 200);
    assert_eq!(xlsx.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(xlsx.disposition.contains("filename=\"suggestion-statistics-"), "{}", xlsx.disposition);
    assert!(xlsx.disposition.contains(".xlsx"), "{}", xlsx.disposition);
    let (x_header, x_rows) = xlsx_cells(&xlsx.body);
    assert_eq!(x_header, header);
    assert_same(&x_rows, &expected, &SUGGESTION_COLUMNS);
    // Numbers are numbers in the workbook.
    assert_eq!(x_rows[0][1], json!(4.0));

    // Categories, from the same query code.
    let table = suggestions(&app, &w, &w.staff, "CATEGORY").await.data()["s"].clone();
    let (_, rows) =
        csv_cells(&download(&app, &suggestion_path(&w, "csv", "CATEGORY"), Some(&w.staff)).await.body);
    assert_same(&rows, &with_total(&table), &SUGGESTION_COLUMNS);

    // Opinions by station in XLSX, by month in CSV.
    let table = opinions(&app, &w, &w.staff, "STATION").await.data()["s"].clone();
    let path = format!(
        "/exports/opinion-statistics.xlsx?congressId={}&from={}&to={}&groupBy=STATION",
        w.congress, w.today, w.today
    );
    let opinions_xlsx = download(&app, &path, Some(&w.staff)).await;
    assert_eq!(opinions_xlsx.status, 200, "{}", String::from_utf8_lossy(&opinions_xlsx.body));
    let (_, rows) = xlsx_cells(&opinions_xlsx.body);
    assert_same(&rows, &with_total(&table), &OPINION_COLUMNS);
    let table = opinions(&app, &w, &w.staff, "MONTH").await.data()["s"].clone();
    let path = path.replace(".xlsx", ".csv").replace("STATION", "MONTH");
    let (_, rows) = csv_cells(&download(&app, &path, Some(&w.staff)).await.body);
    assert_same(&rows, &with_total(&table), &OPINION_COLUMNS);

    // Deputies in both formats.
    let res = app
        .gql(&crate::statistics::deputy_query(), json!({ "c": w.congress, "y": w.year }), Some(&w.staff))
        .await;
    let expected = res.data()["s"].as_array().cloned().unwrap_or_default();
    for ext in ["csv", "xlsx"] {
        let path = format!("/exports/deputy-statistics.{ext}?congressId={}&year={}", w.congress, w.year);
        let d = download(&app, &path, Some(&w.staff)).await;
        assert_eq!(d.status, 200);
        assert!(d.disposition.contains(&format!("filename=\"deputy-statistics-{}.{ext}\"", w.year)));
        let (_, rows) = if ext == "csv" { csv_cells(&d.body) } else { xlsx_cells(&d.body) };
        assert_same(&rows, &expected, &DEPUTY_COLUMNS);
    }
});

e2e!(exports_are_for_the_congress_staff_only, |app| {
    let w = world(&app).await;
    let county = app
        .gql(
            "mutation($i: CongressInput!) { createCongress(input: $i) { id } }",
            json!({ "i": { "name": "示例县第十届人民代表大会", "level": "COUNTY", "region": "示例县", "term": 10 } }),
            Some(&w.admin),
        )
        .await;
    let county = county.data()["createCongress"]["id"].as_str().unwrap_or_default().to_owned();
    let path = suggestion_path(&w, "csv", "UNIT");

    let d = download(&app, &path, None).await;
    assert_eq!(d.status, 401, "no token");
    let d = download(&app, &path, Some("not-a-token")).await;
    assert_eq!(d.status, 401, "a bad token");
    for (who, token) in [("unit staff", &w.unit), ("deputy", &w.zhang), ("citizen", &w.citizen)] {
        let d = download(&app, &path, Some(token)).await;
        assert_eq!(d.status, 403, "{who}: {}", String::from_utf8_lossy(&d.body));
        assert!(d.disposition.is_empty(), "nothing to download");
    }
    // The staff of this congress, asking about another one.
    let other =
        format!("/exports/suggestion-statistics.xlsx?congressId={county}&year={}&groupBy=UNIT", w.year);
    assert_eq!(download(&app, &other, Some(&w.staff)).await.status, 403);
    assert_eq!(download(&app, &other, Some(&w.admin)).await.status, 200, "the admin sees every congress");

    for bad in
        ["/exports/passwords.csv", "/exports/suggestion-statistics.pdf", "/exports/suggestion-statistics"]
    {
        let d =
            download(&app, &format!("{bad}?congressId={}&year={}", w.congress, w.year), Some(&w.staff)).await;
        assert_eq!(d.status, 404, "{bad}");
    }
    let missing = format!("/exports/suggestion-statistics.csv?congressId={}&year={}", w.congress, w.year);
    let d = download(&app, &missing, Some(&w.staff)).await;
    assert_eq!(d.status, 400);
    assert!(String::from_utf8_lossy(&d.body).contains("groupBy"), "says what is missing");
    let bad_day = format!(
        "/exports/opinion-statistics.csv?congressId={}&from=yesterday&to=2026-01-01&groupBy=MONTH",
        w.congress
    );
    assert_eq!(download(&app, &bad_day, Some(&w.staff)).await.status, 400);
    let bad_id = format!("/exports/deputy-statistics.csv?congressId=nope&year={}", w.year);
    assert_eq!(download(&app, &bad_id, Some(&w.staff)).await.status, 400);
});
