//! Sending a form with files (`multipart/form-data`) to a REST route from the browser and
//! reading the JSON answer: the created resource, or the API's localized error message.

/// Posts the form to `url`; `Ok(json)` on a 2xx answer, `Err(message)` otherwise.
#[cfg(feature = "hydrate")]
pub async fn post_form(
    url: &str,
    form: &web_sys::HtmlFormElement,
) -> Result<serde_json::Value, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let data = web_sys::FormData::new_with_form(form).map_err(fail)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&data);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(fail)?
        .dyn_into()
        .map_err(fail)?;
    let text = JsFuture::from(response.text().map_err(fail)?)
        .await
        .map_err(fail)?
        .as_string()
        .unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    if response.ok() {
        Ok(json)
    } else {
        Err(json["message"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("HTTP {}", response.status())))
    }
}

/// Server rendering never posts forms.
#[cfg(not(feature = "hydrate"))]
pub async fn post_form(_url: &str, _form: &()) -> Result<serde_json::Value, String> {
    Err(String::new())
}
