class Indexing(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  def forward(self: __torch__.Indexing,
    x: Tensor,
    idx: Tensor) -> Tuple[Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]:
    _0 = torch.sum(x, annotate(List[int], []))
    _1 = torch.slice(x, 0, 0, 9223372036854775807)
    _2 = annotate(List[Optional[Tensor]], [None, idx])
    _3 = torch.index(_1, _2)
    _4 = torch.zeros(annotate(List[int], []), dtype=None, layout=None, device=torch.device("cpu"), pin_memory=False)
    input = torch.unsqueeze(torch.unsqueeze(x, 0), 1)
    _5 = torch.upsample_nearest2d(input, [4, 6], None)
    input0 = torch.flatten(x, 1)
    x0 = torch.dropout(input0, 0.5, False)
    _6 = ops.prim.NumToTensor(torch.size(x0, 0))
    _7 = int(_6)
    _8 = ops.prim.NumToTensor(torch.size(x0, 1))
    _9 = torch.new_full(x0, [_7, int(_8)], 3., dtype=6, layout=0, device=torch.device("cpu"), pin_memory=False)
    _10 = torch.pow(_9, 2)
    _11 = torch.neg(x0)
    _12 = torch.matmul(x0, torch.t(x0))
    _13 = torch.eq(x0, 3)
    _14 = torch.bitwise_not(torch.gt(x0, 1))
    _15 = torch.abs(x0)
    _16 = ops.prim.NumToTensor(torch.size(x0, 0))
    _17 = (_0, _3, _4, _5, x0, _10, _11, _12, _13, _14, torch.div(_15, _16))
    return _17
