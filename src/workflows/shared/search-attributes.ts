// The custom search attributes that make each request findable in the Temporal UI. Their names are
// stored in histories and namespace config: choose once, never rename.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TicketIdKey = defineSearchAttributeKey('TicketId', SearchAttributeType.KEYWORD);
export const OktaRequestIdKey = defineSearchAttributeKey('OktaRequestId', SearchAttributeType.KEYWORD);
export const RequesterEmailKey = defineSearchAttributeKey('RequesterEmail', SearchAttributeType.KEYWORD);
export const ResourceNameKey = defineSearchAttributeKey('ResourceName', SearchAttributeType.KEYWORD);
export const OutcomeKey = defineSearchAttributeKey('Outcome', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [
  TicketIdKey,
  OktaRequestIdKey,
  RequesterEmailKey,
  ResourceNameKey,
  OutcomeKey,
];
