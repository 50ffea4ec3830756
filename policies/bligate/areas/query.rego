# METADATA
# title: Purpose, minimisation, the query itself and its log (查詢目的、資料最小化、查詢作業與日誌)
# description: |
#   PURPOSE-01, MIN-01, QUERY-01, QUERY-02, XBORDER-01, LOG-01, LOG-02, LOG-03.
#   Broker mode decides one query request; state mode checks query records one by one (the
#   collector streams them in batches: no rule needs the whole log); config mode checks the
#   query system's settings.
package bligate.areas.query

import data.bligate.lib

broker_denials contains d if some d in purpose_01_broker

broker_denials contains d if some d in min_01_broker

broker_denials contains d if some d in query_01_broker

broker_denials contains d if some d in xborder_01_broker

broker_denials contains d if some d in log_01_broker

broker_denials contains d if some d in log_02_broker

state_findings contains f if some f in purpose_01_state

state_findings contains f if some f in min_01_state

state_findings contains f if some f in query_01_state

state_findings contains f if some f in query_02_state

state_findings contains f if some f in xborder_01_state

state_findings contains f if some f in log_01_state

state_findings contains f if some f in log_03_state

config_findings contains f if some f in purpose_01_config

config_findings contains f if some f in min_01_config

config_findings contains f if some f in query_01_config

config_findings contains f if some f in xborder_01_config

config_findings contains f if some f in log_01_config

config_findings contains f if some f in log_02_config

config_findings contains f if some f in log_03_config

# ---------------------------------------------------------------------------------------------
# Helpers (generic ones are candidates for lib)

# A value that carries nothing: null (or absent, read with a null default), blank text, or an
# empty object or array.
blank(v) if v == null

blank(v) if {
	is_string(v)
	trim_space(v) == ""
}

blank(v) if {
	is_object(v)
	count(v) == 0
}

blank(v) if {
	is_array(v)
	count(v) == 0
}

# The keys of obj (in the order given) whose values are blank or absent.
blank_keys(obj, keys) := [k | some k in keys; blank(object.get(obj, k, null))]

# A list as text for messages: "a, b, c".
txt(xs) := concat(", ", [sprintf("%v", [x]) | some x in xs])

# Roles (requirements.md "applies"): a requirement that checks for a missing setting or activity
# applies only to the roles listed for it.
role_code := {"user_unit": "U", "management_agency": "M", "supervisor": "S"}[input.institution.role]

applies(codes) if role_code in codes

# The value at a dotted key of the config document (null when absent).
config_value(key) := object.get(input, split(key, "."), null)

# A country code outside the allowed ones (XBORDER-01); null or absent means no transfer.
foreign(country) if {
	is_string(country)
	not blank(country)
	not upper(trim_space(country)) in allowed_countries
}

# Problem codes and their wording, for messages that name every problem found.
problem_text := {
	"case_no_missing": {"zh": "未填案號", "en": "no case number"},
	"reason_missing": {"zh": "未填事由", "en": "no reason"},
	"date_missing": {"zh": "未填日期", "en": "no date"},
	"staff_missing": {"zh": "未填查詢人員", "en": "no query staff"},
	"approval_missing": {"zh": "未經核准", "en": "no approval"},
	"approver_missing": {"zh": "核准人不明", "en": "no approver named"},
	"level_not_authorised": {"zh": "核准人非授權核定層級", "en": "approver not at the authorised level"},
	"approved_after_query": {"zh": "核准時間晚於查詢", "en": "approved after the query"},
	"self_approved": {"zh": "查詢人員自行核准", "en": "approved by the querying staff member or account"},
	"printed_other_case": {"zh": "查詢或列印非核准案件之資料", "en": "queried or printed data of a case not approved"},
	"modified_data": {"zh": "更改資料", "en": "changed data"},
}

zh_problems(ps) := concat("、", [problem_text[p].zh | some p in ps])

en_problems(ps) := concat(", ", [problem_text[p].en | some p in ps])

# Approval problems (QUERY-01) of an approval object for a query by staff/account at instant t.
approval_problems(a, staff, account, t) := ["approval_missing"] if {
	not is_object(a)
} else := [p | some p in approval_checks; approval_problem(p, a, staff, account, t)]

approval_checks := ["approver_missing", "level_not_authorised", "approved_after_query", "self_approved"]

approval_problem("approver_missing", a, _, _, _) if blank(object.get(a, "approved_by", null))

approval_problem("level_not_authorised", a, _, _, _) if object.get(a, "level_ok", null) != true

approval_problem("approved_after_query", a, _, _, t) if {
	is_string(a.approved_at)
	lib.ns(a.approved_at) > t
}

approval_problem("self_approved", a, staff, account, _) if {
	by := a.approved_by
	not blank(by)
	by in {staff, account}
}

# QUERY-01 problems of a query (request or record) with the given case number, reason, staff,
# account, time (null when missing) and approval.
query_01_problems(q, t, a) := array.concat(
	[p | some k, p in {"case_no": "case_no_missing", "reason": "reason_missing", "staff_id": "staff_missing"}; blank(object.get(q, k, null))],
	date_and_approval_problems(q, t, a),
)

date_and_approval_problems(_, t, _) := ["date_missing"] if t == null

date_and_approval_problems(q, t, a) := approval_problems(a, object.get(q, "staff_id", null), object.get(q, "account_id", null), t) if {
	t != null
}

# ---------------------------------------------------------------------------------------------
# Broker mode: one query request

request := input.request

request_subject := {"request": request.id}

# The request instant (null when the request carries none or an unreadable one).
request_ns := lib.ns(request.requested_at) if {
	is_string(request.requested_at)
} else := null

# LOG-01: the fields of a request the query log needs (account, IP, date and time, op code,
# conditions, case number, reason), as request keys.
request_log_keys := ["account_id", "client_ip", "requested_at", "op_code", "conditions", "case_no", "reason"]

# ---------------------------------------------------------------------------------------------
# State mode: query records, one by one

records := object.get(input, "query_records", [])

record_subject(r) := {"record": r.id}

record_ns(r) := lib.ns(r.at) if {
	is_string(r.at)
} else := null

# LOG-01: the fields of a query record the log must carry.
record_log_keys := ["account_id", "ip", "at", "op_code", "conditions", "case_no", "reason"]

# ---------------------------------------------------------------------------------------------
# PURPOSE-01 — credit business only

# METADATA
# scope: document
# title: Query purpose is credit business
# description: A query request whose stated purpose is not credit business (授信業務) is rejected.
# custom:
#   requirement: PURPOSE-01
#   clause: 二(三), 三, 四(二)4
#   severity: high
#   title_zh: 查詢目的限授信業務
#   modes: [broker]
#   automated: true
#   applies: [U]
purpose_01_broker contains lib.finding(rego.metadata.chain(), "violation", request_subject, ev, zh, en) if {
	p := object.get(request, "purpose", null)
	allowed := lib.param("query.allowed_purposes")
	not p in allowed
	ev := {"purpose": p, "allowed_purposes": allowed}
	zh := sprintf("查詢目的 %v 不在允許之目的 %v 內（限授信業務），拒絕查詢。", [p, txt(allowed)])
	en := sprintf("The query purpose %v is not one of the allowed purposes %v (credit business only); the request is denied.", [p, txt(allowed)])
}

# METADATA
# scope: document
# title: Query purpose is credit business
# description: Every query record states credit business (授信業務) as its purpose.
# custom:
#   requirement: PURPOSE-01
#   clause: 二(三), 三, 四(二)4
#   severity: high
#   title_zh: 查詢目的限授信業務
#   modes: [state]
#   automated: true
#   applies: [U]
purpose_01_state contains lib.finding(rego.metadata.chain(), "violation", record_subject(r), ev, zh, en) if {
	allowed := allowed_purposes
	some r in purpose_01_suspects
	p := object.get(r, "purpose", null)
	not p in allowed
	ev := {"record": r.id, "at": object.get(r, "at", null), "purpose": p, "allowed_purposes": allowed}
	zh := sprintf("查詢紀錄 %s 之查詢目的為 %v，不在允許之目的 %v 內（限授信業務）。", [r.id, p, txt(allowed)])
	en := sprintf("Query record %s states the purpose %v, not one of the allowed purposes %v (credit business only).", [r.id, p, txt(allowed)])
}

purpose_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("PURPOSE-01")
}

# METADATA
# scope: document
# title: Query purpose is credit business
# description: The query system accepts only credit business (授信業務) as a purpose.
# custom:
#   requirement: PURPOSE-01
#   clause: 二(三), 三, 四(二)4
#   severity: high
#   title_zh: 查詢目的限授信業務
#   modes: [config]
#   automated: true
#   applies: [U]
purpose_01_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "query.purposes"}, ev, zh, en) if {
	purposes := config_value("query.purposes")
	is_array(purposes)
	allowed := lib.param("query.allowed_purposes")
	extra := sort({p | some p in purposes; not p in allowed})
	count(extra) > 0
	ev := {"key": "query.purposes", "value": purposes, "not_allowed": extra, "allowed_purposes": allowed}
	zh := sprintf("query.purposes 含不允許之查詢目的 %v（僅限 %v）。", [txt(extra), txt(allowed)])
	en := sprintf("query.purposes includes purposes %v that are not allowed (only %v).", [txt(extra), txt(allowed)])
}

purpose_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("PURPOSE-01")
}

# ---------------------------------------------------------------------------------------------
# MIN-01 — data minimisation: only the six fields

# METADATA
# scope: document
# title: Only the six allowed fields are requested
# description: A request for any field other than name, national ID, date of birth, employer, change date and insured salary is rejected.
# custom:
#   requirement: MIN-01
#   clause: 三
#   severity: high
#   title_zh: 資料最小化
#   modes: [broker]
#   automated: true
#   applies: [M, U]
min_01_broker contains lib.finding(rego.metadata.chain(), "violation", request_subject, ev, zh, en) if {
	allowed := lib.param("data.allowed_fields")
	extra := sort({f | some f in object.get(request, "requested_fields", []); not f in allowed})
	count(extra) > 0
	ev := {"requested_fields": request.requested_fields, "not_allowed": extra, "allowed_fields": allowed}
	zh := sprintf("查詢請求 %s 要求允許範圍外之欄位 %v（僅限 %v），拒絕查詢。", [request.id, txt(extra), txt(allowed)])
	en := sprintf("Request %s asks for fields %v outside the allowed fields %v; the request is denied.", [request.id, txt(extra), txt(allowed)])
}

# METADATA
# scope: document
# title: Only the six allowed fields are obtained
# description: A query record that obtained any field other than name, national ID, date of birth, employer, change date and insured salary is a violation.
# custom:
#   requirement: MIN-01
#   clause: 三
#   severity: high
#   title_zh: 資料最小化
#   modes: [state]
#   automated: true
#   applies: [M, U]
min_01_state contains lib.finding(rego.metadata.chain(), "violation", record_subject(r), ev, zh, en) if {
	allowed := allowed_fields
	some r in min_01_suspects
	extra := sort({f | some f in object.get(r, "fields", []); not f in allowed})
	count(extra) > 0
	ev := {"record": r.id, "at": object.get(r, "at", null), "fields": r.fields, "not_allowed": extra, "allowed_fields": allowed}
	zh := sprintf("查詢紀錄 %s 取得允許範圍外之欄位 %v（僅限 %v）。", [r.id, txt(extra), txt(allowed)])
	en := sprintf("Query record %s obtained fields %v outside the allowed fields %v.", [r.id, txt(extra), txt(allowed)])
}

min_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("MIN-01")
}

# METADATA
# scope: document
# title: Only the six allowed fields are configured
# description: The query system's field allow-list holds only name, national ID, date of birth, employer, change date and insured salary.
# custom:
#   requirement: MIN-01
#   clause: 三
#   severity: high
#   title_zh: 資料最小化
#   modes: [config]
#   automated: true
#   applies: [M, U]
min_01_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "data_fields.allowed"}, ev, zh, en) if {
	fields := config_value("data_fields.allowed")
	is_array(fields)
	allowed := lib.param("data.allowed_fields")
	extra := sort({f | some f in fields; not f in allowed})
	count(extra) > 0
	ev := {"key": "data_fields.allowed", "value": fields, "not_allowed": extra, "allowed_fields": allowed}
	zh := sprintf("data_fields.allowed 含允許範圍外之欄位 %v（僅限 %v）。", [txt(extra), txt(allowed)])
	en := sprintf("data_fields.allowed includes fields %v outside the allowed fields %v.", [txt(extra), txt(allowed)])
}

min_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("MIN-01")
}

# ---------------------------------------------------------------------------------------------
# QUERY-01 — date, staff, case number, reason and approval before the query

# METADATA
# scope: document
# title: Query form complete and approved
# description: A request without case number, reason, date or staff, or without approval by the authorised level (by someone other than the querying staff), is rejected.
# custom:
#   requirement: QUERY-01
#   clause: 四(二)3(6), 六(一)1
#   severity: high
#   title_zh: 查詢前填寫案號事由並經核准
#   modes: [broker]
#   automated: true
#   applies: [U]
query_01_broker contains lib.finding(rego.metadata.chain(), "violation", request_subject, ev, zh, en) if {
	a := object.get(input, "approval", null)
	ps := query_01_problems(request, request_ns, a)
	count(ps) > 0
	ev := {
		"problems": ps,
		"case_no": object.get(request, "case_no", null),
		"reason": object.get(request, "reason", null),
		"staff_id": object.get(request, "staff_id", null),
		"requested_at": object.get(request, "requested_at", null),
		"approval": a,
	}
	zh := sprintf("查詢請求 %s 未符合查詢前程序：%s，拒絕查詢。", [request.id, zh_problems(ps)])
	en := sprintf("Request %s does not meet the pre-query procedure (%s); the request is denied.", [request.id, en_problems(ps)])
}

# METADATA
# scope: document
# title: Query form complete and approved
# description: Every query record carries case number, reason, date and staff, and an approval by the authorised level given by someone other than the querying staff or account.
# custom:
#   requirement: QUERY-01
#   clause: 四(二)3(6), 六(一)1
#   severity: high
#   title_zh: 查詢前填寫案號事由並經核准
#   modes: [state]
#   automated: true
#   applies: [U]
query_01_state contains lib.finding(rego.metadata.chain(), "violation", record_subject(r), ev, zh, en) if {
	some r in suspect_records
	a := object.get(r, "approval", null)
	ps := query_01_problems(r, record_ns(r), a)
	count(ps) > 0
	ev := {
		"record": r.id,
		"at": object.get(r, "at", null),
		"problems": ps,
		"case_no": object.get(r, "case_no", null),
		"reason": object.get(r, "reason", null),
		"staff_id": object.get(r, "staff_id", null),
		"account_id": object.get(r, "account_id", null),
		"approval": a,
	}
	zh := sprintf("查詢紀錄 %s 未符合查詢前程序：%s。", [r.id, zh_problems(ps)])
	en := sprintf("Query record %s does not meet the pre-query procedure: %s.", [r.id, en_problems(ps)])
}

# METADATA
# scope: document
# title: Query form complete and approved
# description: The query system requires an approval, a case number and a reason before every query.
# custom:
#   requirement: QUERY-01
#   clause: 四(二)3(6), 六(一)1
#   severity: high
#   title_zh: 查詢前填寫案號事由並經核准
#   modes: [config]
#   automated: true
#   applies: [U]
query_01_config contains lib.finding(rego.metadata.chain(), "violation", {"key": key}, ev, zh, en) if {
	applies({"U"})
	some key in ["query.require_approval", "query.require_case_no", "query.require_reason"]
	v := config_value(key)
	v != true
	ev := {"key": key, "value": v, "required": true}
	zh := sprintf("%s 應設為 true（目前為 %v）：查詢前須填寫案號、事由並經授權層級核准。", [key, v])
	en := sprintf("%s must be true (it is %v): every query needs a case number, a reason and approval by the authorised level.", [key, v])
}

# ---------------------------------------------------------------------------------------------
# QUERY-02 — only the approved case; no changes to data

# METADATA
# scope: document
# title: Only the approved case, no changes
# description: Query staff query or print only the approved case's data and never change data; a record showing otherwise is a violation.
# custom:
#   requirement: QUERY-02
#   clause: 四(二)5
#   severity: high
#   title_zh: 僅查詢列印核准案件且不得更改資料
#   modes: [state]
#   automated: true
#   applies: [U]
query_02_state contains lib.finding(rego.metadata.chain(), "violation", record_subject(r), ev, zh, en) if {
	some r in query_02_suspects
	ps := [p | some p in ["printed_other_case", "modified_data"]; object.get(r, p, null) == true]
	count(ps) > 0
	ev := {
		"record": r.id,
		"at": object.get(r, "at", null),
		"staff_id": object.get(r, "staff_id", null),
		"printed_other_case": object.get(r, "printed_other_case", null),
		"modified_data": object.get(r, "modified_data", null),
	}
	zh := sprintf("查詢紀錄 %s 顯示查詢人員%s。", [r.id, zh_problems(ps)])
	en := sprintf("Query record %s shows that the query staff %s.", [r.id, concat(" and ", [problem_text[p].en | some p in ps])])
}

# ---------------------------------------------------------------------------------------------
# XBORDER-01 — no transfer outside Taiwan

# METADATA
# scope: document
# title: No cross-border transfer
# description: A request whose destination is outside Taiwan is rejected.
# custom:
#   requirement: XBORDER-01
#   clause: 四(二)4, 五(四)
#   severity: high
#   title_zh: 不得跨境或國際傳輸
#   modes: [broker]
#   automated: true
#   applies: [M, U]
xborder_01_broker contains lib.finding(rego.metadata.chain(), "violation", request_subject, ev, zh, en) if {
	dest := object.get(request, "destination_country", null)
	foreign(dest)
	allowed := lib.param("transfer.allowed_countries")
	ev := {"destination_country": dest, "allowed_countries": allowed}
	zh := sprintf("查詢請求 %s 之傳輸目的地為 %s，不在 %v 內，不得跨境傳輸，拒絕查詢。", [request.id, dest, txt(allowed)])
	en := sprintf("Request %s would send data to %s, outside %v; cross-border transfer is forbidden and the request is denied.", [request.id, dest, txt(allowed)])
}

# METADATA
# scope: document
# title: No cross-border transfer
# description: A query record whose data went to a destination outside Taiwan is a violation.
# custom:
#   requirement: XBORDER-01
#   clause: 四(二)4, 五(四)
#   severity: high
#   title_zh: 不得跨境或國際傳輸
#   modes: [state]
#   automated: true
#   applies: [M, U]
xborder_01_state contains lib.finding(rego.metadata.chain(), "violation", record_subject(r), ev, zh, en) if {
	allowed := allowed_countries
	some r in xborder_01_suspects
	dest := object.get(r, "destination_country", null)
	foreign(dest)
	ev := {"record": r.id, "at": object.get(r, "at", null), "destination_country": dest, "allowed_countries": allowed}
	zh := sprintf("查詢紀錄 %s 之資料傳輸至 %s，不在 %v 內，違反不得跨境傳輸之規定。", [r.id, dest, txt(allowed)])
	en := sprintf("Query record %s sent data to %s, outside %v: cross-border transfer is forbidden.", [r.id, dest, txt(allowed)])
}

xborder_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("XBORDER-01")
}

# METADATA
# scope: document
# title: No cross-border transfer
# description: Storage regions and transfer destinations are in Taiwan only, and cross-border transfer is off.
# custom:
#   requirement: XBORDER-01
#   clause: 四(二)4, 五(四)
#   severity: high
#   title_zh: 不得跨境或國際傳輸
#   modes: [config]
#   automated: true
#   applies: [M, U]
xborder_01_config contains lib.finding(rego.metadata.chain(), "violation", {"key": key}, ev, zh, en) if {
	allowed := lib.param("transfer.allowed_countries")
	some key in ["storage.regions", "transfer.destinations"]
	v := config_value(key)
	is_array(v)
	extra := sort({c | some c in v; foreign(c)})
	count(extra) > 0
	ev := {"key": key, "value": v, "not_allowed": extra, "allowed_countries": allowed}
	zh := sprintf("%s 含臺灣以外之國家 %v（僅限 %v），不得跨境存放或傳輸。", [key, txt(extra), txt(allowed)])
	en := sprintf("%s includes countries %v outside %v; data may not be stored or sent across borders.", [key, txt(extra), txt(allowed)])
}

xborder_01_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "transfer.cross_border"}, ev, zh, en) if {
	config_value("transfer.cross_border") == true
	ev := {"key": "transfer.cross_border", "value": true, "required": false}
	zh := "transfer.cross_border 設為 true，資料不得跨境或國際傳輸。"
	en := "transfer.cross_border is true; data may never be transmitted across borders."
}

xborder_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("XBORDER-01")
}

# ---------------------------------------------------------------------------------------------
# LOG-01 — every query is logged with all its fields and kept five years

# METADATA
# scope: document
# title: Every query is logged
# description: A request lacking a field the query log needs (account, client IP, time, op code, conditions, case number, reason) cannot be logged and is rejected.
# custom:
#   requirement: LOG-01
#   clause: 六(一)5
#   severity: high
#   title_zh: 查詢日誌
#   modes: [broker]
#   automated: true
#   applies: [U]
log_01_broker contains lib.finding(rego.metadata.chain(), "violation", request_subject, ev, zh, en) if {
	missing := blank_keys(request, request_log_keys)
	count(missing) > 0
	ev := {"missing": missing, "required": request_log_keys}
	zh := sprintf("查詢請求 %s 缺少查詢日誌必要欄位 %v，無法記錄，拒絕查詢。", [request.id, txt(missing)])
	en := sprintf("Request %s lacks the query-log fields %v, so it cannot be logged; the request is denied.", [request.id, txt(missing)])
}

# METADATA
# scope: document
# title: Every query is logged and kept five years
# description: Every query record carries account, IP, date and time, op code, conditions, case number and reason, and is kept at least 5 years.
# custom:
#   requirement: LOG-01
#   clause: 六(一)5
#   severity: high
#   title_zh: 查詢日誌
#   modes: [state]
#   automated: true
#   applies: [U]
log_01_state contains lib.finding(rego.metadata.chain(), "violation", record_subject(r), ev, zh, en) if {
	some r in suspect_records
	missing := blank_keys(r, record_log_keys)
	count(missing) > 0
	ev := {"record": r.id, "missing": missing, "required": record_log_keys}
	zh := sprintf("查詢紀錄 %s 缺少查詢日誌欄位 %v。", [r.id, txt(missing)])
	en := sprintf("Query record %s lacks the query-log fields %v.", [r.id, txt(missing)])
}

log_01_state contains lib.finding(rego.metadata.chain(), "violation", record_subject(r), ev, zh, en) if {
	years := lib.param("retention.years")
	some r in suspect_records
	is_string(r.deleted_at)
	lib.deleted_early(lib.ns(r.at), lib.ns(r.deleted_at))
	until := lib.date_of(lib.retention_end_ns(lib.ns(r.at)))
	ev := {"record": r.id, "at": object.get(r, "at", null), "deleted_at": r.deleted_at, "retention_years": years, "keep_until": until}
	zh := sprintf("查詢紀錄 %s（%s）於 %s 刪除，未滿 %d 年保存期限（應保存至 %s）。", [r.id, r.at, r.deleted_at, years, until])
	en := sprintf("Query record %s (%s) was deleted on %s, before its %d-year retention ended (keep until %s).", [r.id, r.at, r.deleted_at, years, until])
}

log_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("LOG-01")
}

# The fields the query log must record (config mode).
config_log_fields := ["account", "ip", "date", "time", "op_code", "conditions", "case_no", "reason"]

# METADATA
# scope: document
# title: Every query is logged and kept five years
# description: The query log is on, records all eight fields, and is kept at least 5 years.
# custom:
#   requirement: LOG-01
#   clause: 六(一)5
#   severity: high
#   title_zh: 查詢日誌
#   modes: [config]
#   automated: true
#   applies: [U]
log_01_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "query_log.enabled"}, ev, zh, en) if {
	applies({"U"})
	v := config_value("query_log.enabled")
	v != true
	ev := {"key": "query_log.enabled", "value": v, "required": true}
	zh := sprintf("query_log.enabled 應設為 true（目前為 %v）：系統應記錄每筆查詢。", [v])
	en := sprintf("query_log.enabled must be true (it is %v): the system logs every query.", [v])
}

log_01_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "query_log.fields"}, ev, zh, en) if {
	applies({"U"})
	v := config_value("query_log.fields")
	have := {f | is_array(v); some f in v}
	missing := [f | some f in config_log_fields; not f in have]
	count(missing) > 0
	ev := {"key": "query_log.fields", "value": v, "missing": missing, "required": config_log_fields}
	zh := sprintf("query_log.fields 缺少 %v（應記錄帳號、IP、日期、時間、作業代號、查詢條件、案號及事由）。", [txt(missing)])
	en := sprintf("query_log.fields lacks %v (the log records account, IP, date, time, op code, conditions, case number and reason).", [txt(missing)])
}

log_01_config contains lib.finding(rego.metadata.chain(), "violation", {"key": key}, ev, zh, en) if {
	applies({"U"})
	years := lib.param("retention.years")
	some key in ["retention.query_log", "query_log.retention_years"]
	v := config_value(key)
	v != null
	not at_least(v, years)
	ev := {"key": key, "value": v, "required_min": years}
	zh := sprintf("%s 為 %v 年，查詢日誌應至少保存 %d 年。", [key, v, years])
	en := sprintf("%s is %v years; the query log is kept at least %d years.", [key, v, years])
}

log_01_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "retention.query_log"}, ev, zh, en) if {
	applies({"U"})
	config_value("retention.query_log") == null
	config_value("query_log.retention_years") == null
	years := lib.param("retention.years")
	ev := {"key": "retention.query_log", "value": null, "required_min": years}
	zh := sprintf("未設定查詢日誌保存年限（retention.query_log 或 query_log.retention_years），應至少 %d 年。", [years])
	en := sprintf("No query-log retention is set (retention.query_log or query_log.retention_years); it must be at least %d years.", [years])
}

log_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("LOG-01")
}

# ---------------------------------------------------------------------------------------------
# LOG-02 — automatic logout on time-out

# The instant of the session's last activity (its start when no activity is recorded).
session_last_ns := lib.ns(input.session.last_activity_at) if {
	is_string(input.session.last_activity_at)
} else := lib.ns(input.session.started_at)

# METADATA
# scope: document
# title: Time-out logs the session out
# description: A request in a session idle longer than the institution's idle time-out is rejected (the session should have been logged out).
# custom:
#   requirement: LOG-02
#   clause: 六(一)4
#   severity: medium
#   title_zh: 逾時自動登出
#   modes: [broker]
#   automated: true
#   applies: [U]
log_02_broker contains lib.institution_defined(f, ["session.idle_timeout_minutes"]) if {
	timeout := lib.param("session.idle_timeout_minutes")
	is_number(timeout)
	request_ns != null
	idle_ns := request_ns - session_last_ns
	idle_ns > timeout * 60000000000
	idle_s := floor(idle_ns / 1000000000)
	ev := {"idle_seconds": idle_s, "idle_timeout_minutes": timeout, "last_activity_at": taipei_rfc3339(session_last_ns)}
	f := lib.finding(
		rego.metadata.chain(), "violation", request_subject, ev,
		sprintf("查詢請求 %s 之連線已閒置 %d 秒，超過機構訂定之逾時 %v 分鐘，應已自動登出，拒絕查詢。", [request.id, idle_s, timeout]),
		sprintf("Request %s comes from a session idle for %d s, beyond the institution's %v-minute time-out; the session should have been logged out and the request is denied.", [request.id, idle_s, timeout]),
	)
}

# METADATA
# scope: document
# title: Time-out logs the session out
# description: Sessions to JCIC log out automatically after an idle time-out the institution sets.
# custom:
#   requirement: LOG-02
#   clause: 六(一)4
#   severity: medium
#   title_zh: 逾時自動登出
#   modes: [config]
#   automated: true
#   applies: [U]
log_02_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "session.auto_logout"}, ev, zh, en) if {
	applies({"U"})
	v := config_value("session.auto_logout")
	v != true
	ev := {"key": "session.auto_logout", "value": v, "required": true}
	zh := sprintf("session.auto_logout 應設為 true（目前為 %v）：連線逾時應自動登出。", [v])
	en := sprintf("session.auto_logout must be true (it is %v): a timed-out session is logged out automatically.", [v])
}

log_02_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "session.idle_timeout_minutes"}, ev, zh, en) if {
	applies({"U"})
	v := config_value("session.idle_timeout_minutes")
	not positive(v)
	ev := {"key": "session.idle_timeout_minutes", "value": v, "default": lib.plan_value("session.idle_timeout_minutes")}
	zh := sprintf("session.idle_timeout_minutes 未設定有效之逾時分鐘數（目前為 %v；由機構自訂，預設 %v 分鐘）。", [v, ev.default])
	en := sprintf("session.idle_timeout_minutes sets no valid time-out (it is %v; institution-defined, default %v minutes).", [v, ev.default])
}

log_02_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("LOG-02")
}

positive(v) if {
	is_number(v)
	v > 0
}

at_least(v, lo) if {
	is_number(v)
	v >= lo
}

# An instant as RFC 3339 in Taipei time.
taipei_rfc3339(n) := time.format([n, lib.tz, "2006-01-02T15:04:05Z07:00"])

# ---------------------------------------------------------------------------------------------
# LOG-03 — results kept confidential (paper) and encrypted (electronic)

# METADATA
# scope: document
# title: Kept results confidential and encrypted
# description: Query results kept with a case file are confidential on paper; attested by a responsible person.
# custom:
#   requirement: LOG-03
#   clause: 六(一)3
#   severity: medium
#   title_zh: 查詢結果附卷保密與加密
#   modes: [state]
#   automated: false
#   applies: [U]
log_03_state contains f if {
	applies({"U"})
	some f in lib.attestation_findings(rego.metadata.chain(), "LOG-03")
}

# METADATA
# scope: document
# title: Kept results confidential and encrypted
# description: Electronic files of query results are encrypted.
# custom:
#   requirement: LOG-03
#   clause: 六(一)3
#   severity: medium
#   title_zh: 查詢結果附卷保密與加密
#   modes: [config]
#   automated: true
#   applies: [U]
log_03_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "exports.encryption.enabled"}, ev, zh, en) if {
	applies({"U"})
	v := config_value("exports.encryption.enabled")
	v != true
	ev := {"key": "exports.encryption.enabled", "value": v, "required": true}
	zh := sprintf("exports.encryption.enabled 應設為 true（目前為 %v）：查詢結果電子檔應加密。", [v])
	en := sprintf("exports.encryption.enabled must be true (it is %v): electronic files of query results are encrypted.", [v])
}

# ---------------------------------------------------------------------------------------------
# State mode: screens in front of the per-record rules
#
# Almost every record is compliant, and proving it through the rules' detailed checks (the
# problem lists their findings report) costs most of a batch's evaluation. So each state rule
# above checks in detail only the records a screen leaves suspect: every other record certainly
# has no finding of the rule. A screen may leave compliant records suspect; the detailed checks
# then decide, as they did for every record before. rules-tests/query_test.rego pins the
# screens to the detailed checks.

# The allow-lists in force (once per document, not once per record).
allowed_purposes := lib.param("query.allowed_purposes")

allowed_fields := lib.param("data.allowed_fields")

allowed_countries := lib.param("transfer.allowed_countries")

# PURPOSE-01, MIN-01, QUERY-02 and XBORDER-01 look at values of which a batch holds few distinct
# ones. Their screens judge the batch's distinct values with the rules' own tests: when one of
# them is a problem (a batch holding a violation, rare), every record is suspect, else none.

# The purposes, as PURPOSE-01 reads them (absent: null).
purpose_01_suspects := records if {
	some purpose in {object.get(r, "purpose", null) | some r in records}
	not purpose in allowed_purposes
} else := []

# The fields obtained, as MIN-01 reads them (absent: none).
min_01_suspects := records if {
	some field in {f | some r in records; some f in r.fields}
	not field in allowed_fields
} else := []

# QUERY-02 objects to a flag that is true (absent is not).
query_02_suspects := records if {
	some k in ["printed_other_case", "modified_data"]
	true in {r[k] | some r in records}
} else := []

# The destinations (absent, like null, is no transfer and never foreign).
xborder_01_suspects := records if {
	some dest in {r.destination_country | some r in records}
	foreign(dest)
} else := []

# QUERY-01 and LOG-01 look at values that differ from record to record: their screen,
# record_clear, judges each record in one body of plain conditions on its fields. Each condition
# rules out problems; when all hold, the record has none:
# - case number, reason, staff, account, IP and op code are non-blank text (trim_space is
#   undefined for anything but text): no case_no_missing, reason_missing, staff_missing (QUERY-01)
#   and none of these LOG-01 fields missing;
# - conditions is a non-empty object: LOG-01 "conditions" not missing;
# - the time parses: no date_missing (QUERY-01), "at" not missing (LOG-01);
# - approval.level_ok is true, so the approval is an object: no approval_missing,
#   level_not_authorised; approval.approved_by is non-blank text (no approver_missing) that is
#   neither the staff nor the account (no self_approved); approval.approved_at is not a time
#   after the query (no approved_after_query);
# - deleted_at is not text, so the record was not deleted (LOG-01 retention).
record_clear(r) if {
	trim_space(r.case_no) != ""
	trim_space(r.reason) != ""
	trim_space(r.staff_id) != ""
	trim_space(r.account_id) != ""
	trim_space(r.ip) != ""
	trim_space(r.op_code) != ""
	is_object(r.conditions)
	r.conditions != {}
	t := time.parse_rfc3339_ns(r.at)
	r.approval.level_ok == true
	by := r.approval.approved_by
	trim_space(by) != ""
	by != r.staff_id
	by != r.account_id
	not time.parse_rfc3339_ns(r.approval.approved_at) > t
	not is_string(r.deleted_at)
}

# The records record_clear leaves suspect (in their order, as the rules would meet them).
suspect_records := [r | some r in records; not record_clear(r)]
