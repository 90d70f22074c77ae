(function(){
var t=document.getElementById('vt');if(!t)return;
var body=t.tBodies[0],sel=document.querySelectorAll('select[data-col]');
function apply(){var n=0;for(var i=0;i<body.rows.length;i++){var r=body.rows[i],ok=true;
for(var j=0;j<sel.length;j++){var s=sel[j];if(s.value!==''&&r.getAttribute('data-'+s.getAttribute('data-col'))!==s.value)ok=false;}
r.hidden=!ok;if(ok)n++;}document.getElementById('vcount').textContent=String(n);}
for(var j=0;j<sel.length;j++)sel[j].addEventListener('change',apply);
var ths=t.tHead.rows[0].cells;
function key(c){var n=c.getAttribute('data-n');return n!==null&&n!==''?parseFloat(n):c.textContent;}
Array.prototype.forEach.call(ths,function(th,i){th.addEventListener('click',function(){
var asc=th.getAttribute('aria-sort')!=='ascending';
Array.prototype.forEach.call(ths,function(x){x.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');
var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);
var c=(typeof x==='number'&&typeof y==='number')?x-y:(typeof x==='number'?-1:(typeof y==='number'?1:String(x).localeCompare(String(y))));
return asc?c:-c;});
rows.forEach(function(r){body.appendChild(r);});});});
apply();})();
document.documentElement.setAttribute('data-script','ok');