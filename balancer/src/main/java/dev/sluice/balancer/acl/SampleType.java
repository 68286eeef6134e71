package dev.sluice.balancer.acl;

/** The type of a fetched or converted sample; it picks the default matching method of an ACL. */
public enum SampleType {
    BOOL,
    INT,
    IP,
    STR
}
