// Labels of the assessment (考核) and report (汇总汇报) pages, merged into the console's TEXT so tr() and data-i18n find them.
import { TEXT } from './i18n.js';

Object.assign(TEXT.zh, {
  tabAssessment: '考核', tabReports: '汇总汇报', asQuarter: '季度', asFrom: '起', asTo: '止', asNode: '网格', asRun: '考核',
  asTotal: '本级得分', asRank: '名次', asUnit: '单位', asKind: '类别', asScore: '得分', asVetoed: '一票否决', asIndicators: '指标',
  asIndicator: '指标', asValue: '数值', asWeight: '权重', asPoints: '得分', asBasis: '依据', asEvidence: '相关记录', asNotMeasured: '未计量',
  asChart: '得分排名', asAccidents: '事故记录', asRecord: '记录事故', asSite: '企业/场所', asSeverity: '事故等级', asDeaths: '死亡人数',
  asOccurred: '发生时间', asDescription: '经过', asNone: '暂无',
  sev_fatal: '死亡事故', sev_serious: '重伤事故', sev_minor: '一般事故',
  uk_township: '乡镇', uk_department: '部门', uk_village: '村', uk_county: '县',
  'ind_ack-median': '告警确认时间中位数（分钟）', 'ind_ack-within-timeout': '超时前确认比例', 'ind_county-escalations': '升级至县级的告警',
  'ind_hazard-closure': '隐患销号率', 'ind_overdue-hazards': '超期隐患', 'ind_listed-on-time': '挂牌督办按期销号率',
  'ind_inspection-completion': '检查计划完成率', 'ind_devices-offline': '离线设备', 'ind_certificates-ignored': '证照过期未处理',
  ev_alarm: '告警', ev_hazard: '隐患', ev_task: '检查任务', ev_device: '设备', ev_archive: '档案', ev_accident: '事故',
  rpNode: '网格', rpSpan: '周期', rpDay: '日期', rpMake: '生成报告', rpDaily: '日报', rpWeekly: '周报', rpMonthly: '月报',
  rpProgress: '进度', rpPdf: '下载 PDF', rpXlsx: '下载 Excel', rpAlarms: '告警总数', rpAckMedian: '确认时间中位数（分钟）',
  rpAckWithin: '超时前确认比例', rpCounty: '升级至县级', rpOpened: '新增隐患', rpClosed: '销号隐患', rpOverdue: '超期隐患',
  rpInspDue: '应完成检查', rpInspDone: '按期完成检查', rpRollup: '下级汇总', rpChart: '各下级告警数', rpRanking: '考核排名',
  ph_queued: '排队中', ph_alarms: '统计告警', ph_hazards: '统计隐患', ph_inspections: '统计检查', ph_scores: '计算得分', ph_pdf: '生成 PDF',
  ph_xlsx: '生成 Excel', ph_done: '完成', rpFailed: '报告生成失败',
  err_accidentCountyOnly: '只有县级用户可以记录事故', err_accidentFields: '请填写企业、事故等级、时间和经过', err_period: '期间格式不对',
  err_periodOrder: '结束日期早于开始日期', err_reportFields: '请选择周期和日期', err_reportNotReady: '报告尚未生成'
});
Object.assign(TEXT.en, {
  tabAssessment: 'Assessment', tabReports: 'Reports', asQuarter: 'Quarter', asFrom: 'From', asTo: 'To', asNode: 'Grid node', asRun: 'Assess',
  asTotal: 'Score of this level', asRank: 'Rank', asUnit: 'Unit', asKind: 'Kind', asScore: 'Score', asVetoed: 'Vetoed', asIndicators: 'Indicators',
  asIndicator: 'Indicator', asValue: 'Value', asWeight: 'Weight', asPoints: 'Points', asBasis: 'Basis', asEvidence: 'Records behind it', asNotMeasured: 'not measured',
  asChart: 'Scores', asAccidents: 'Accidents', asRecord: 'Record accident', asSite: 'Enterprise / site', asSeverity: 'Severity', asDeaths: 'Deaths',
  asOccurred: 'Occurred at', asDescription: 'What happened', asNone: 'None',
  sev_fatal: 'Fatal', sev_serious: 'Serious injury', sev_minor: 'Minor',
  uk_township: 'Township', uk_department: 'Department', uk_village: 'Village', uk_county: 'County',
  'ind_ack-median': 'Median time to acknowledge (min)', 'ind_ack-within-timeout': 'Acknowledged within the timeout', 'ind_county-escalations': 'Alarms escalated to the county',
  'ind_hazard-closure': 'Hazards closed', 'ind_overdue-hazards': 'Overdue hazards', 'ind_listed-on-time': 'Listed hazards closed on time',
  'ind_inspection-completion': 'Inspection plan completion', 'ind_devices-offline': 'Devices offline', 'ind_certificates-ignored': 'Expired certificates ignored',
  ev_alarm: 'Alarm', ev_hazard: 'Hazard', ev_task: 'Inspection task', ev_device: 'Device', ev_archive: 'Archive entry', ev_accident: 'Accident',
  rpNode: 'Grid node', rpSpan: 'Span', rpDay: 'Day', rpMake: 'Make report', rpDaily: 'Daily', rpWeekly: 'Weekly', rpMonthly: 'Monthly',
  rpProgress: 'Progress', rpPdf: 'Download PDF', rpXlsx: 'Download Excel', rpAlarms: 'Alarms', rpAckMedian: 'Median time to acknowledge (min)',
  rpAckWithin: 'Acknowledged within the timeout', rpCounty: 'Escalated to the county', rpOpened: 'Hazards reported', rpClosed: 'Hazards closed', rpOverdue: 'Hazards overdue',
  rpInspDue: 'Inspections due', rpInspDone: 'Inspections done on time', rpRollup: 'Roll-up of the level below', rpChart: 'Alarms per unit below', rpRanking: 'Assessment ranking',
  ph_queued: 'queued', ph_alarms: 'counting alarms', ph_hazards: 'counting hazards', ph_inspections: 'counting inspections', ph_scores: 'scoring', ph_pdf: 'writing the PDF',
  ph_xlsx: 'writing the spreadsheet', ph_done: 'done', rpFailed: 'The report could not be made',
  err_accidentCountyOnly: 'Only county users record accidents', err_accidentFields: 'Enterprise, severity, time and what happened are required', err_period: 'Bad period',
  err_periodOrder: 'The period ends before it starts', err_reportFields: 'Choose a span and a day', err_reportNotReady: 'The report is not ready yet'
});
