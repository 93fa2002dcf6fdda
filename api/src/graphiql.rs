//! GraphiQL served from the binary: the page and the React and GraphiQL builds it loads, with no request
//! to any other host (public CDNs are slow or unreachable on many users' networks). The builds live in
//! `api/assets/graphiql/` (see its README for versions and how to update them).
//!
//! Each asset's URL carries a hash of its bytes (`/graphiql/graphiql.min.<hash>.js`), so it is cached for a
//! year and an update is a new URL; the same hash is its strong `ETag`. Like GraphiQL, the assets are not
//! served in production.

use crate::http::AppState;
use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, ContentType, ETAG, HeaderValue, IF_NONE_MATCH, X_CONTENT_TYPE_OPTIONS,
};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// The embedded GraphiQL build (`graphiql` on npm, UMD).
pub const GRAPHIQL_VERSION: &str = "4.1.2";
/// The embedded React and React DOM builds (`react`, `react-dom` on npm, UMD).
pub const REACT_VERSION: &str = "18.3.1";

/// Where the assets are served; the route is `{PREFIX}/{name}`.
const PREFIX: &str = "/graphiql";

/// A file as embedded: its name in `api/assets/graphiql/`, content type and bytes.
struct Embedded {
    file: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

const REACT: usize = 0;
const REACT_DOM: usize = 1;
const GRAPHIQL_JS: usize = 2;
const GRAPHIQL_CSS: usize = 3;

const EMBEDDED: [Embedded; 4] = [
    Embedded {
        file: "react.production.min.js",
        content_type: JS,
        bytes: include_bytes!("../assets/graphiql/react.production.min.js"),
    },
    Embedded {
        file: "react-dom.production.min.js",
        content_type: JS,
        bytes: include_bytes!("../assets/graphiql/react-dom.production.min.js"),
    },
    Embedded {
        file: "graphiql.min.js",
        content_type: JS,
        bytes: include_bytes!("../assets/graphiql/graphiql.min.js"),
    },
    Embedded {
        file: "graphiql.min.css",
        content_type: CSS,
        bytes: include_bytes!("../assets/graphiql/graphiql.min.css"),
    },
];

/// An embedded file as served: its name in the URL (with the hash) and its `ETag`.
struct Asset {
    name: String,
    etag: String,
    content_type: &'static str,
    bytes: &'static [u8],
}

/// Computed once, on first use.
static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    EMBEDDED
        .iter()
        .map(|e| {
            // The first 8 bytes of the SHA-256: plenty to tell four files' versions apart.
            let digest = Sha256::digest(e.bytes);
            let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            let name = match e.file.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                None => format!("{}.{hash}", e.file),
            };
            Asset { name, etag: format!("\"{hash}\""), content_type: e.content_type, bytes: e.bytes }
        })
        .collect()
});

/// The URL path of an embedded asset.
fn url(index: usize) -> String {
    ASSETS.get(index).map(|a| format!("{PREFIX}/{}", a.name)).unwrap_or_default()
}

/// The GraphiQL page for the GraphQL endpoint `endpoint` (a path such as `/graphql`, or a URL), titled
/// `title`. Queries and mutations go over HTTP to `endpoint`, subscriptions over WebSocket (graphql-ws) to
/// the same URL. It loads only this server's `/graphiql/…` assets.
pub fn page(endpoint: &str, title: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{css}">
<style>
body {{ height: 100%; margin: 0; width: 100%; overflow: hidden; }}
#graphiql {{ height: 100vh; }}
</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="{react}"></script>
<script src="{react_dom}"></script>
<script src="{graphiql}"></script>
<script>
(function () {{
  var url = new URL({endpoint}, window.location.href);
  var subscriptionUrl = new URL(url.href);
  subscriptionUrl.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({{ url: url.href, subscriptionUrl: subscriptionUrl.href }});
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {{ fetcher: fetcher, defaultEditorToolsVisibility: true }})
  );
}})();
</script>
</body>
</html>
"#,
        title = crate::qr::escape(title),
        css = url(GRAPHIQL_CSS),
        react = url(REACT),
        react_dom = url(REACT_DOM),
        graphiql = url(GRAPHIQL_JS),
        endpoint = js_string(endpoint),
    )
}

/// A double-quoted JavaScript string literal safe inside a `<script>` element.
fn js_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, as RFC 9110 asks for this header).
fn none_match(header: &HeaderValue, etag: &str) -> bool {
    header.to_str().is_ok_and(|value| {
        value.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
    })
}

/// `GET /graphiql/{name}`: an embedded asset, cached for a year (its URL changes with its bytes), 304 when
/// the client has it already. 404 for other names, and in production.
pub async fn asset(state: web::Data<AppState>, path: web::Path<String>, req: HttpRequest) -> HttpResponse {
    if !state.dev_tools {
        return HttpResponse::NotFound().finish();
    }
    let Some(asset) = ASSETS.iter().find(|a| a.name == path.as_str()) else {
        return HttpResponse::NotFound().finish();
    };
    let cache = (CACHE_CONTROL, "public, max-age=31536000, immutable");
    let etag = (ETAG, asset.etag.clone());
    if req.headers().get_all(IF_NONE_MATCH).any(|v| none_match(v, &asset.etag)) {
        return HttpResponse::NotModified().insert_header(etag).insert_header(cache).finish();
    }
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, asset.content_type))
        .insert_header((X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header(etag)
        .insert_header(cache)
        .body(asset.bytes)
}

/// `GET /graphiql`: GraphiQL against `/graphql`, outside production.
pub async fn ide(state: web::Data<AppState>) -> HttpResponse {
    if !state.dev_tools {
        return HttpResponse::NotFound().finish();
    }
    HttpResponse::Ok().content_type(ContentType::html()).body(page("/graphql", "e代表 GraphQL"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `src` and `href` attribute values of the page.
    fn references(page: &str) -> Vec<&str> {
        ["src=\"", "href=\""]
            .iter()
            .flat_map(|attr| page.split(attr).skip(1))
            .filter_map(|rest| rest.split('"').next())
            .collect()
    }

    #[test]
    fn the_page_loads_nothing_from_another_host() {
        let page = page("/graphql", "e代表 GraphQL");
        for external in ["http://", "https://", "unpkg", "jsdelivr", "cdn", "\"//", "'//"] {
            assert!(!page.contains(external), "{external} in the page:\n{page}");
        }
        let refs = references(&page);
        assert_eq!(refs.len(), 5, "{refs:?}");
        for reference in refs {
            let local = reference
                .strip_prefix("/graphiql/")
                .is_some_and(|name| ASSETS.iter().any(|a| a.name == name));
            assert!(local || reference == "data:,", "{reference} is not an embedded asset");
        }
        assert!(
            page.contains("GraphiQL.createFetcher({ url: url.href, subscriptionUrl: subscriptionUrl.href })")
        );
    }

    #[test]
    fn every_asset_is_referenced_once_under_a_hashed_name() {
        let page = page("/graphql", "t");
        for asset in ASSETS.iter() {
            assert_eq!(page.matches(&format!("/graphiql/{}", asset.name)).count(), 1, "{}", asset.name);
            assert!(asset.bytes.len() > 1000, "{} is {} bytes", asset.name, asset.bytes.len());
            assert_eq!(asset.etag.len(), 18, "{}", asset.etag);
        }
        let names: std::collections::HashSet<_> = ASSETS.iter().map(|a| &a.name).collect();
        assert_eq!(names.len(), EMBEDDED.len());
    }

    #[test]
    fn endpoint_and_title_cannot_break_out() {
        let page = page("/x\"</script><script>alert(1)//", "<b>\"t\"</b>");
        assert!(page.contains("<title>&lt;b&gt;&quot;t&quot;&lt;/b&gt;</title>"), "{page}");
        assert!(page.contains(r#"new URL("/x\"\u003c/script\u003e\u003cscript\u003ealert(1)//""#), "{page}");
        assert_eq!(page.matches("</script>").count(), 4);
    }

    #[test]
    fn if_none_match_is_compared_weakly_in_lists() {
        let tag = "\"0123456789abcdef\"";
        let matches = |value: &'static str| none_match(&HeaderValue::from_static(value), tag);
        assert!(matches("\"0123456789abcdef\""));
        assert!(matches("W/\"0123456789abcdef\""));
        assert!(matches("\"other\", \"0123456789abcdef\""));
        assert!(matches("*"));
        assert!(!matches("\"other\""));
        assert!(!matches("0123456789abcdef"));
    }
}
