-- The fallback of a batched child-link call in one place (issue 14, docs/decisions/0038).
--
-- link_children_if_unchanged (migrations 0018, 0021) ran link_children_together inside a
-- BEGIN … EXCEPTION block, and after TT001 (a child code taken) or TT002 (a scanId taken) wrote
-- the links one at a time. The exception block opened a subtransaction on every call, taken or
-- not, and the server (storage/scans.repository.ts sendLinks) already sends a failed call's links
-- one at a time itself for any other error of the call. The server now calls
-- link_children_together directly and, when it raises, sends the links one by one in their order
-- through link_child_if_unchanged: the same answers, one home for the rule, no subtransaction.
drop function link_children_if_unchanged(jsonb);
