// Chinese / English labels; the choice is kept in localStorage.
export const TEXT = {
  zh: {
    subtitle: '安全生产视频监控与预警', tabOverview: '总览', tabAlarms: '告警', tabEnterprise: '企业', tabStats: '统计',
    liveOn: '实时', liveOff: '未连接', logout: '退出', loginTitle: '值班登录', user: '用户名', password: '密码', login: '登录',
    gridTitle: '网格与实时告警', mapTitle: '企业分布', findingsTitle: '实时研判', level: '级别', place: '位置', what: '内容',
    time: '时间', state: '状态', node: '网格', from: '起', to: '止', any: '全部', stOpen: '未关闭', stRaised: '未确认',
    stAck: '已确认', stCleared: '已解除', stClosed: '已关闭', value: '值', raised: '发生', assignee: '处置人',
    notePh: '备注 / 处置记录', ack: '确认', comment: '备注', assign: '指派', close: '关闭', timeline: '处置时间线',
    enterprise: '企业', sensors: '传感器', cameras: '摄像机', liveView: '实时画面（含区域与检测框）', name: '名称', status: '状态', lastSeen: '最后通讯',
    history: '历史曲线', perDay: '各乡镇每日告警（近7天）', ackTime: '响应时长', overdue: '超时未确认', offline: '离线设备',
    total: '共', median: '中位数', p90: '90分位', samples: '样本', minutes: '分钟', none: '无', snapshot: '截图',
    noHistory: '本节点未接入历史库', pickSensor: '点击传感器查看曲线', badLogin: '用户名或密码错误',
    online: '在线', 'never-seen': '未上线', unknown: '未知', count: '次', needNote: '请填写处置记录',
    RAISED: '未确认', ACKNOWLEDGED: '已确认', CLEARED: '已解除', CLOSED: '已关闭',
    ev_RAISED: '发生', ev_UPDATED: '更新', ev_LEVEL_CHANGED: '级别变化', ev_ACKNOWLEDGED: '确认', ev_COMMENTED: '备注',
    ev_ASSIGNED: '指派', ev_ESCALATED: '逐级上报', ev_NOTIFIED: '已通知', ev_NOTIFICATION_FAILED: '通知失败',
    ev_CLEARED: '解除', ev_CLOSED: '关闭', ev_SILENCED: '屏蔽中',
    k_county: '县', k_department: '部门', k_township: '乡镇', k_village: '村', k_enterprise: '企业', k_site: '场所',
    'admin': '管理员', 'county-operator': '县级值班', 'township-officer': '乡镇监管', 'enterprise-operator': '企业值班',
    err_crossOrigin: '已拒绝：该请求不是从本平台页面发出的', err_jsonRequired: '已拒绝：请求格式不对（须为 JSON）',
    err_textTooLong: '文字过长（最多4000字），请缩短后再提交', err_storeUnavailable: '告警库暂不可用，未作修改，请稍后重试',
    err_loginThrottled: '登录失败次数过多，请稍后再试', err_internal: '服务器内部错误', err_metricsToken: '需要监控令牌'
  },
  en: {
    subtitle: 'work-safety video monitoring & early warning', tabOverview: 'Overview', tabAlarms: 'Alarms',
    tabEnterprise: 'Enterprise', tabStats: 'Statistics', liveOn: 'live', liveOff: 'offline', logout: 'Log out',
    loginTitle: 'Duty login', user: 'User', password: 'Password', login: 'Log in', gridTitle: 'Grid & active alarms',
    mapTitle: 'Enterprises', findingsTitle: 'Live findings', level: 'Level', place: 'Place', what: 'What', time: 'Time',
    state: 'State', node: 'Grid', from: 'From', to: 'To', any: 'Any', stOpen: 'Open', stRaised: 'Raised',
    stAck: 'Acknowledged', stCleared: 'Cleared', stClosed: 'Closed', value: 'Value', raised: 'Raised',
    assignee: 'Assignee', notePh: 'note / handling record', ack: 'Acknowledge', comment: 'Comment', assign: 'Assign',
    close: 'Close', timeline: 'Timeline', enterprise: 'Enterprise', sensors: 'Sensors', cameras: 'Cameras', liveView: 'Live view (zones and detections)',
    name: 'Name', status: 'Status', lastSeen: 'Last seen', history: 'History', perDay: 'Alarms per township per day (7 days)',
    ackTime: 'Time to acknowledge', overdue: 'Overdue (unacknowledged)', offline: 'Devices offline', total: 'total',
    median: 'median', p90: 'p90', samples: 'samples', minutes: 'min', none: 'none', snapshot: 'snapshot',
    noHistory: 'no history store on this node', pickSensor: 'click a sensor to see its history',
    badLogin: 'wrong user name or password', online: 'online', 'never-seen': 'never seen', unknown: 'unknown',
    count: '×', needNote: 'a handling note is required',
    RAISED: 'raised', ACKNOWLEDGED: 'acknowledged', CLEARED: 'cleared', CLOSED: 'closed',
    ev_RAISED: 'raised', ev_UPDATED: 'updated', ev_LEVEL_CHANGED: 'level changed', ev_ACKNOWLEDGED: 'acknowledged',
    ev_COMMENTED: 'comment', ev_ASSIGNED: 'assigned', ev_ESCALATED: 'escalated', ev_NOTIFIED: 'notified',
    ev_NOTIFICATION_FAILED: 'notification failed', ev_CLEARED: 'cleared', ev_CLOSED: 'closed', ev_SILENCED: 'silenced',
    k_county: 'county', k_department: 'department', k_township: 'township', k_village: 'village',
    k_enterprise: 'enterprise', k_site: 'site',
    'admin': 'admin', 'county-operator': 'county operator', 'township-officer': 'township officer',
    'enterprise-operator': 'enterprise operator',
    err_crossOrigin: 'refused: this request did not come from the console\'s own pages',
    err_jsonRequired: 'refused: the request was not sent as JSON',
    err_textTooLong: 'text too long (at most 4,000 characters); shorten it and try again',
    err_storeUnavailable: 'the alarm store is not available; nothing was changed, try again shortly',
    err_loginThrottled: 'too many failed logins; try again later', err_internal: 'internal server error',
    err_metricsToken: 'the metrics token is required'
  }
};

export let lang = localStorage.getItem('safegrid.lang') || 'zh';
export const tr = k => (TEXT[lang] && TEXT[lang][k]) || TEXT.zh[k] || k;

export function setLang(l) {
  lang = l;
  localStorage.setItem('safegrid.lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = tr(el.dataset.i18n); });
  document.querySelectorAll('[data-i18n-ph]').forEach(el => { el.placeholder = tr(el.dataset.i18nPh); });
}

// ---------- machine-made texts: findings, alarms, level badges ----------
// They come as a message key with parameters; the wording is the model's bundle (zh and en),
// served at /api/v1/texts/{lang}, so the server and the screen say the same in one language.
const MSG = {};
export async function loadTexts(l) {
  if (!MSG[l]) { const r = await fetch('/api/v1/texts/' + l, { credentials: 'same-origin' }); MSG[l] = r.ok ? await r.json() : {}; }
  return MSG[l];
}
// {name} is a parameter, name_<lang> wins over name, a value "@key" is another key of the bundle
export function say(key, args, l = lang) {
  const t = (MSG[l] || {})[key]; if (t === undefined) return null;
  const a = args || {};
  return t.replace(/\{([^}]*)\}/g, (_, n) => {
    let v = a[n + '_' + l] ?? a[n]; if (v === undefined || v === null) return '';
    v = String(v); return v.startsWith('@') && v.length > 1 ? (say(v.slice(1), a, l) ?? v.slice(1)) : v;
  });
}
// a system note on the timeline is written "中文 / English" by alerting: the reader's half is shown;
// what a person wrote is shown as written
const HAN = /[\u3400-\u9fff]/;
export function pickLanguage(text) {
  if (!text) return '';
  const m = /^repeat #(\d+): ([\s\S]*)$/.exec(text);
  if (m) return tr('repeatN').replace('{n}', m[1]) + pickLanguage(m[2]);
  const re = /\s?\/\s/g; let hit;
  while ((hit = re.exec(text))) {
    const left = text.slice(0, hit.index), right = text.slice(hit.index + hit[0].length);
    if (!HAN.test(left) || HAN.test(right)) continue;
    if (lang === 'zh') return left.trim();
    // "who: 中文 / English": the English half keeps who it was about
    const who = /^([\x20-\x7e]*?:\s)/.exec(left);
    return ((who && HAN.test(left.slice(who[1].length)) ? who[1] : '') + right).trim();
  }
  return text;
}

Object.assign(TEXT.zh, {
  tabWall: '视频墙', wallTiles: '画面数', wallNamePh: '布局名称', wallSave: '保存布局', pin: '置顶', unpin: '取消置顶', layouts: '已存布局',
  phoneTitle: '告警处置', phoneLogin: '登录后处置', handover: '转交', needText: '请先填写备注',
  err_linkInvalid: '链接无效（已过期、被改动或不属于此告警），请登录处置', err_linkClaimed: '此链接已在另一台设备上打开，请登录本人账号处置',
  pageTitle: 'SafeGrid 安全生产监管预警平台', repeatN: '第 {n} 次重复：', actor_system: '系统', alarmId: '编号', count_: '次数', camera_status_unknown: '未知',
  perLevel: '各级别每日告警', perKind: '各类型每日告警', ackDist: '确认用时分布', hours: '小时', ackOver: '超过2小时',
  'dev_online': '在线', 'dev_offline': '离线', 'dev_never-seen': '未上线', 'dev_unknown': '未知', chartNoData: '无数据', threshold: '阈值', alarmsMark: '告警'
});
Object.assign(TEXT.en, {
  tabWall: 'Video wall', wallTiles: 'Tiles', wallNamePh: 'layout name', wallSave: 'Save layout', pin: 'Pin', unpin: 'Unpin',
  layouts: 'saved layouts', phoneTitle: 'Alarm', phoneLogin: 'Log in to act', handover: 'Hand over', needText: 'write the comment first',
  err_linkInvalid: 'this link is not valid (expired, altered or for another alarm); log in instead',
  err_linkClaimed: 'this link was opened on another device; log in with your own account to act',
  pageTitle: 'SafeGrid work-safety supervision and early warning', repeatN: 'repeat #{n}: ', actor_system: 'system', alarmId: 'ID', count_: 'Count', camera_status_unknown: 'unknown',
  perLevel: 'Alarms per level per day', perKind: 'Alarms per kind per day', ackDist: 'Time to acknowledge, distribution',
  hours: 'h', ackOver: 'over 2 h', 'dev_online': 'online', 'dev_offline': 'offline', 'dev_never-seen': 'never seen', 'dev_unknown': 'unknown', chartNoData: 'no data', threshold: 'threshold', alarmsMark: 'alarms'
});
Object.assign(TEXT.zh, { wallFull: '本节点的视频观看人数已满（最多 {n} 路），请稍后再试', err_videoFull: '本节点的视频观看人数已满，请稍后再试' });
Object.assign(TEXT.en, { wallFull: 'this node already serves its most video viewers ({n}); try again later', err_videoFull: 'this node already serves its most video viewers; try again later' });
Object.assign(TEXT.zh, {
  gbStep_invite: '点播失败：INVITE 未得到 200', gbStep_rtp: '收流超时：端口 {port} 未收到 RTP', gbStep_ssrc: '收流失败：SSRC 不符',
  gbStep_decode: '收流失败：PS 流无法解码'
});
Object.assign(TEXT.en, {
  gbStep_invite: 'no picture: no 200 to INVITE', gbStep_rtp: 'no picture: no RTP on port {port}', gbStep_ssrc: 'no picture: SSRC mismatch',
  gbStep_decode: 'no picture: PS not decodable'
});
Object.assign(TEXT.zh, {
  ptzTitle: '云台控制（按住移动，松开停止）', ptzOffline: '设备离线，无法控制云台', ptzScope: '该摄像机不在您的管辖范围内', ptzFailed: '云台指令未送达：',
  'ptz_up-left': '左上', ptz_up: '上', 'ptz_up-right': '右上', ptz_left: '左', ptz_stop: '停止', ptz_right: '右',
  'ptz_down-left': '左下', ptz_down: '下', 'ptz_down-right': '右下', 'ptz_zoom-in': '放大', 'ptz_zoom-out': '缩小'
});
Object.assign(TEXT.en, {
  ptzTitle: 'PTZ (hold to move, release to stop)', ptzOffline: 'device offline: PTZ not available', ptzScope: 'this camera is outside your scope', ptzFailed: 'PTZ command not delivered:',
  'ptz_up-left': 'up left', ptz_up: 'up', 'ptz_up-right': 'up right', ptz_left: 'left', ptz_stop: 'stop', ptz_right: 'right',
  'ptz_down-left': 'down left', ptz_down: 'down', 'ptz_down-right': 'down right', 'ptz_zoom-in': 'zoom in', 'ptz_zoom-out': 'zoom out'
});
Object.assign(TEXT.zh, { menuHazards: '隐患治理', menuOversight: '监管考核' });
Object.assign(TEXT.en, { menuHazards: 'Hazards', menuOversight: 'Oversight' });
