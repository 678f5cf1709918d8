//! The class results as CSV that opens correctly in Excel and WPS: UTF-8 with a
//! byte-order mark, CRLF line ends, every field quoted, and cells that a
//! spreadsheet would run as a formula (starting with = + - @, tab or CR)
//! prefixed with an apostrophe.

use super::grade::ClassReport;

/// One field, quoted and made formula-safe.
pub fn field(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let body = if risky {
        format!("'{text}")
    } else {
        text.to_string()
    };
    format!("\"{}\"", body.replace('"', "\"\""))
}

/// Rows to CSV text (BOM first, CRLF after every row).
pub fn to_csv(rows: &[Vec<String>]) -> String {
    let mut out = String::from('\u{feff}');
    for row in rows {
        out.push_str(&row.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// The class report as rows: the seed and rule, one row per drawn group with
/// its score and a ✓/✗ per question, then the verdict.
pub fn class_rows(report: &ClassReport) -> Vec<Vec<String>> {
    let s = |x: &str| x.to_string();
    let mut rows = vec![
        vec![s("抽查种子"), report.seed.clone()],
        vec![s("评定规则"), report.verdict.rule.clone()],
        vec![
            s("每组题数"),
            report.count.to_string(),
            s("合格线（答对题数）"),
            report.pass_mark.to_string(),
        ],
    ];
    let mut header = vec![
        s("抽查顺序"),
        s("小组"),
        s("结果码"),
        s("得分"),
        s("满分"),
        s("是否合格"),
    ];
    header.extend((1..=usize::from(report.count)).map(|i| format!("第{i}题")));
    rows.push(header);
    for g in &report.groups {
        let mut row = vec![
            (usize::from(g.position) + 1).to_string(),
            g.name.clone(),
            super::code::pretty(&g.code),
        ];
        if g.code.is_empty() {
            row.extend([s(""), s(""), s("未提交")]);
        } else {
            row.extend([
                g.score.to_string(),
                g.max.to_string(),
                s(if g.passed { "合格" } else { "不合格" }),
            ]);
            row.extend(g.correct.iter().map(|&c| s(if c { "✓" } else { "✗" })));
        }
        rows.push(row);
    }
    rows.push(vec![
        s("班级评定"),
        report.verdict.label.clone(),
        s("合格组数"),
        report.verdict.passed.to_string(),
    ]);
    rows
}

/// The class report as CSV text.
pub fn class_csv(report: &ClassReport) -> String {
    to_csv(&class_rows(report))
}
