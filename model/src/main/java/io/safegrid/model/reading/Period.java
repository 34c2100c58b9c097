package io.safegrid.model.reading;

/** What span a reading covers: an instant sample or a minute/hour/day statistic (HJ 212 CN 2011/2051/2061/2031). */
public enum Period { REALTIME, MINUTE, HOUR, DAY }
