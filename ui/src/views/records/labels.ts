/**
 * The words for what Rust names: kinds, fields, stages, activity kinds, quote statuses.
 * Names come from the schema (through the bindings); each maps to a catalogue key written
 * out here, so the i18n test sees every key used. A name without a key shows as it is.
 */

import type { FieldValue, Kind } from "../../api/api";
import type { Key } from "../../i18n/en";
import type { I18n } from "../../i18n/I18n";

export const KIND_LABELS: Readonly<Record<Kind, Key>> = {
  account: "kind.account",
  contact: "kind.contact",
  opportunity: "kind.opportunity",
  quote: "kind.quote",
  activity: "kind.activity",
  task: "kind.task",
  product: "kind.product",
  lead: "kind.lead",
  case: "kind.case",
  dismissal: "kind.dismissal",
};

export const KIND_GROUPS: Readonly<Record<Kind, Key>> = {
  account: "kinds.account",
  contact: "kinds.contact",
  opportunity: "kinds.opportunity",
  quote: "kinds.quote",
  activity: "kinds.activity",
  task: "kinds.task",
  product: "kinds.product",
  lead: "kinds.lead",
  case: "kinds.case",
  dismissal: "kinds.dismissal",
};

const FIELD_LABELS: Readonly<Record<string, Key>> = {
  name: "field.name",
  industry: "field.industry",
  phone: "field.phone",
  email: "field.email",
  website: "field.website",
  address: "field.address",
  city: "field.city",
  country: "field.country",
  tags: "field.tags",
  notes: "field.notes",
  parent_id: "field.parent",
  account_id: "field.account",
  "contact.title": "field.jobTitle",
  title: "field.title",
  role: "field.role",
  stage: "field.stage",
  amount: "field.amount",
  currency: "field.currency",
  close_date: "field.closeDate",
  probability: "field.probability",
  next_step: "field.nextStep",
  loss_reason: "field.lossReason",
  opportunity_id: "field.opportunity",
  number: "field.number",
  valid_until: "field.validUntil",
  status: "field.status",
  tax_pct: "field.taxPct",
  lines: "field.lines",
  activity_kind: "field.activityKind",
  subject: "field.subject",
  body: "field.body",
  at: "field.at",
  contact_id: "field.contact",
  lat: "field.lat",
  lon: "field.lon",
  due: "field.due",
  done: "field.done",
  assignee: "field.assignee",
  sku: "field.sku",
  unit_price: "field.unitPrice",
  description: "field.description",
  company: "field.company",
  "lead.title": "field.jobTitle",
  source: "field.source",
  disqualify_reason: "field.disqualifyReason",
  converted_at: "field.convertedAt",
  priority: "field.priority",
  resolution: "field.resolution",
  resolved_at: "field.resolvedAt",
  renewal_date: "field.renewalDate",
  renews_id: "field.renews",
  renewal_days: "field.renewalDays",
  product_id: "field.product",
  quantity: "field.quantity",
  discount_pct: "field.discountPct",
  deleted: "field.deleted",
};

const VALUE_LABELS: Readonly<Record<string, Key>> = {
  "stage.lead": "stage.lead",
  "stage.qualified": "stage.qualified",
  "stage.proposal": "stage.proposal",
  "stage.negotiation": "stage.negotiation",
  "stage.won": "stage.won",
  "stage.lost": "stage.lost",
  "activity_kind.visit": "activityKind.visit",
  "activity_kind.call": "activityKind.call",
  "activity_kind.meeting": "activityKind.meeting",
  "activity_kind.email": "activityKind.email",
  "activity_kind.note": "activityKind.note",
  "status.draft": "quoteStatus.draft",
  "status.sent": "quoteStatus.sent",
  "status.accepted": "quoteStatus.accepted",
  "status.rejected": "quoteStatus.rejected",
  "status.expired": "quoteStatus.expired",
  "source.fair": "source.fair",
  "source.referral": "source.referral",
  "source.web": "source.web",
  "source.visit": "source.visit",
  "source.call": "source.call",
  "source.other": "source.other",
  // Lead and case statuses share the field name; "new" means the same for both.
  "status.new": "status.new",
  "status.contacted": "status.contacted",
  "status.qualified": "status.qualified",
  "status.disqualified": "status.disqualified",
  "status.converted": "status.converted",
  "status.in_progress": "status.inProgress",
  "status.waiting_on_customer": "status.waitingOnCustomer",
  "status.resolved": "status.resolved",
  "status.closed": "status.closed",
  "priority.low": "priority.low",
  "priority.normal": "priority.normal",
  "priority.high": "priority.high",
  "priority.urgent": "priority.urgent",
};

/** A field's name for people. */
export function fieldLabel(t: I18n["t"], kind: Kind, field: string): string {
  const key = FIELD_LABELS[`${kind}.${field}`] ?? FIELD_LABELS[field];
  return key ? t(key) : field;
}

/** A word from a fixed list (a stage, an activity kind, a quote status) for people. */
export function choiceLabel(t: I18n["t"], field: string, value: string): string {
  const key = VALUE_LABELS[`${field}.${value}`];
  return key ? t(key) : value;
}

/** A field's value as text (not formatted: see `formatValue`). */
export function text(value: FieldValue | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}
