//! Article bodies are Markdown written by staff and read by customers: this module renders
//! them to HTML that cannot carry script (raw HTML is shown as text, links and images keep
//! only http(s), mailto and relative addresses) and extracts the plain text the search index
//! and the answer bot use.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Whether a link or image address is safe to emit: http(s), mailto, or relative.
pub fn safe_url(url: &str) -> bool {
    let u: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = u.find(':');
    let path_start = u.find(['/', '?', '#']).unwrap_or(u.len());
    match scheme_end {
        Some(i) if i < path_start => {
            u.starts_with("http://") || u.starts_with("https://") || u.starts_with("mailto:")
        }
        _ => true,
    }
}

fn defuse(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        other => other,
    }
}

/// Renders Markdown to HTML safe to insert into a page.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, Parser::new_ext(markdown, options()).map(defuse));
    out
}

/// The text of a Markdown document without markup: paragraphs, headings and list items on
/// their own lines.
pub fn to_plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
            | Event::End(TagEnd::TableHead | TagEnd::TableRow | TagEnd::CodeBlock) => {
                out.push('\n')
            }
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_unsafe_links_are_defused() {
        let html = to_html(
            "# 标题\n\n<script>alert(1)</script>\n\n[点我](javascript:alert(1)) \
             [ok](https://kf.example.cn/a) ![x](data:text/html;base64,AA) <img src=x onerror=alert(1)>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(html.contains(r#"href="https://kf.example.cn/a""#), "{html}");
        assert!(html.contains("<h1>标题</h1>"), "{html}");
        assert!(!safe_url(" JaVa\tScript:alert(1)"));
        assert!(safe_url("/portal/kb/1?x=a:b"));
        assert!(safe_url("mailto:kf@example.cn"));
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            to_plain("## 步骤\n\n1. 登录 **网上营业厅**\n2. 点击 `账单`\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
            "步骤\n登录 网上营业厅\n点击 账单\na b\n1 2"
        );
    }
}
